/**
 * A small reverse-mode automatic differentiation over EJML row-major matrices, in micrograd's shape at
 * matrix level: a {@link io.github.pointclip.adapter.autograd.Tensor} holds value and gradient matrices, its
 * parents and a backward step; {@code backward()} is a topological sort and a reverse walk; only the
 * primitives in {@link io.github.pointclip.adapter.autograd.Ops} have derivative rules.
 *
 * <h2>Precision</h2>
 * Each tensor has one {@link io.github.pointclip.adapter.Precision}: {@code FLOAT}
 * ({@code FMatrixRMaj}, for training) or {@code DOUBLE} ({@code DMatrixRMaj}, for finite-difference gradient
 * checks). Each operation has one generic form: the light element-wise ones (O(size) work: broadcasting,
 * ReLU, dropout, batch normalisation, normalisation, log-softmax) read and write through a two-method
 * storage interface and do their arithmetic in double, rounding on store for float tensors. The ones that
 * dominate a training step (add, mul, ReLU, dropout, batch normalisation, row normalisation) also run the
 * same arithmetic directly on the float arrays, 4 to 10× faster, and a test holds the two forms to the same
 * bits. The matrix products have one implementation per precision: doubles use plain loops (not EJML's
 * {@code ejml-ddense}, whose packages split with {@code ejml-fdense} on the module path); small float products use {@code CommonOps_FDRM}; large float products use
 * {@link io.github.pointclip.adapter.linalg.FloatMatmul} (SIMD kernels with
 * {@code --add-modules jdk.incubator.vector}, auto-vectorised loops otherwise, the same bits either way).
 * So a gradient check exercises the same rules as training, with only the storage swapped.
 *
 * <h2>Memory</h2>
 * Parameters keep their gradient buffers across steps; {@code zeroGrad()} only marks them cleared,
 * and the next product overwrites a cleared buffer instead of adding to zeros. The product kernels keep their
 * scratch arrays per thread, so a training step allocates no weight-sized arrays; activations and their
 * gradients are allocated per step (batch-sized). In
 * {@link io.github.pointclip.adapter.autograd.GradMode#disable()} scopes nothing is recorded.
 *
 * <p>Not exported by the module descriptor: implementation of the adapter module, not an API.
 */
package io.github.pointclip.adapter.autograd;
