/**
 * Layers built from autograd primitives, initialised and parameterised like their PyTorch namesakes.
 */
package io.github.pointclip.adapter.nn;
