/**
 * Support code of the adapter module, not an API: the inter-view adapter as a network of autograd
 * tensors ({@link io.github.pointclip.adapter.internal.AdapterNetworks}) for the trainer, the checkpoint
 * head and the tests. Not exported by the module descriptor; it may change in any release.
 */
package io.github.pointclip.adapter.internal;
