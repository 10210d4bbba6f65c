/**
 * Few-shot learning for PointCLIP: the {@link io.github.pointclip.adapter.InterViewAdapter}, its state
 * ({@link io.github.pointclip.adapter.StateTensor}) and parameter {@link io.github.pointclip.adapter.Precision}.
 * It is built on the module's own autograd, layers and optimisers ({@code io.github.pointclip.adapter.autograd},
 * {@code .nn}, {@code .optim}, {@code .linalg}), which the module descriptor does not export: they are
 * implementation, not API.
 */
package io.github.pointclip.adapter;
