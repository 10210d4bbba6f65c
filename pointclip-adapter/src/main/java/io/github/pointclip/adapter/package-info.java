/**
 * Few-shot learning for PointCLIP: the {@link io.github.pointclip.adapter.InterViewAdapter} and its state
 * ({@link io.github.pointclip.adapter.StateTensor}), built on the project's own autograd
 * ({@code io.github.pointclip.adapter.autograd}), layers ({@code .nn}) and optimisers ({@code .optim}).
 */
package io.github.pointclip.adapter;
