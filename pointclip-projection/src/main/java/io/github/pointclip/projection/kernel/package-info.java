/**
 * Smoothing kernels for the V2 realistic projection: the reference Gaussian and the
 * Exponential, Mish-shaped and Sigmoid-shaped alternatives; implement
 * {@link io.github.pointclip.projection.kernel.SmoothingKernel} to plug in your own.
 */
package io.github.pointclip.projection.kernel;
