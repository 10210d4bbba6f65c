/**
 * Layers built from autograd primitives, initialised and parameterised like their PyTorch namesakes.
 *
 * <p>Not exported by the module descriptor: implementation of the adapter module, not an API.
 */
package io.github.pointclip.adapter.nn;
