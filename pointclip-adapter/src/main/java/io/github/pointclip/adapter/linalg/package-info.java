/**
 * Float matrix products for training and the searches, with one numeric contract: every output element is
 * a chain of fused multiply-adds over the inner index in ascending order, starting from zero or from the
 * element's old value, exactly as the scalar loop {@code s = Math.fma(a[i][p], b[p][j], s)} computes it.
 * Because the contract fixes every rounding, the two implementations, the explicit SIMD kernels of
 * {@code jdk.incubator.vector} (used when the JVM runs with {@code --add-modules jdk.incubator.vector}) and
 * the portable loops that HotSpot auto-vectorises, give bit-identical results, and so does any split of a
 * product over threads. Internal support code of the adapter module, not a stable API.
 *
 * <p>Not exported by the module descriptor: implementation of the adapter module, not an API.
 */
package io.github.pointclip.adapter.linalg;
