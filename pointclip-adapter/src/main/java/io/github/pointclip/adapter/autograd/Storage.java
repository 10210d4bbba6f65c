package io.github.pointclip.adapter.autograd;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.linalg.FloatMatmul;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * Row-major storage of one precision. Light element-wise operations go through {@link #get}/{@link #set}
 * (arithmetic in double, rounded on store); the heavy ones (matrix products, accumulation) have one
 * specialised implementation per precision.
 */
abstract sealed class Storage permits Storage.F32, Storage.F64 {
    /** Below this many multiply-adds, float products use EJML's kernels. */
    static final long SMALL_PRODUCT_MACS = 1L << 18;

    static Storage allocate(Precision precision, int rows, int cols) {
        return precision == Precision.FLOAT ? new F32(new FMatrixRMaj(rows, cols)) : new F64(new DMatrixRMaj(rows, cols));
    }

    abstract Precision precision();

    abstract int size();

    abstract double get(int index);

    abstract void set(int index, double value);

    abstract void add(int index, double value);

    abstract void fill(double value);

    /** this += alpha · other, element-wise (same size). */
    abstract void addScaled(Storage other, double alpha);

    /** this = other (same size). */
    abstract void copyFrom(Storage other);

    /**
     * this (+)= op(a)·op(b) with shapes given explicitly; this is [m × n].
     *
     * @param transA whether a is stored as [k × m]
     * @param transB whether b is stored as [n × k]
     */
    abstract void product(Storage a, boolean transA, Storage b, boolean transB, int m, int k, int n,
            boolean accumulate);

    /** Float storage. */
    static final class F32 extends Storage {
        final FMatrixRMaj matrix;
        final float[] data;

        F32(FMatrixRMaj matrix) {
            this.matrix = matrix;
            this.data = matrix.data;
        }

        @Override
        Precision precision() {
            return Precision.FLOAT;
        }

        @Override
        int size() {
            return matrix.getNumElements();
        }

        @Override
        double get(int index) {
            return data[index];
        }

        @Override
        void set(int index, double value) {
            data[index] = (float) value;
        }

        @Override
        void add(int index, double value) {
            data[index] += (float) value;
        }

        @Override
        void fill(double value) {
            java.util.Arrays.fill(data, 0, size(), (float) value);
        }

        @Override
        void addScaled(Storage other, double alpha) {
            float[] src = ((F32) other).data;
            float a = (float) alpha;
            int n = size();
            for (int i = 0; i < n; i++) {
                data[i] += a * src[i];
            }
        }

        @Override
        void copyFrom(Storage other) {
            System.arraycopy(((F32) other).data, 0, data, 0, size());
        }

        @Override
        void product(Storage a, boolean transA, Storage b, boolean transB, int m, int k, int n,
                boolean accumulate) {
            FMatrixRMaj ma = ((F32) a).matrix;
            FMatrixRMaj mb = ((F32) b).matrix;
            if ((long) m * k * n < SMALL_PRODUCT_MACS) {
                // small products: EJML's procedural kernels are as good as anything
                if (!transA && !transB) {
                    if (accumulate) CommonOps_FDRM.multAdd(ma, mb, matrix); else CommonOps_FDRM.mult(ma, mb, matrix);
                } else if (transA && !transB) {
                    if (accumulate) CommonOps_FDRM.multAddTransA(ma, mb, matrix); else CommonOps_FDRM.multTransA(ma, mb, matrix);
                } else if (!transA) {
                    if (accumulate) CommonOps_FDRM.multAddTransB(ma, mb, matrix); else CommonOps_FDRM.multTransB(ma, mb, matrix);
                } else {
                    if (accumulate) CommonOps_FDRM.multAddTransAB(ma, mb, matrix); else CommonOps_FDRM.multTransAB(ma, mb, matrix);
                }
                return;
            }
            ComputeThreads threads = ComputeThreads.active();
            FloatMatmul.multiply(((F32) a).data, transA, ((F32) b).data, transB, data, m, k, n, accumulate,
                    threads == null ? null : threads::split);
        }
    }

    /** Double storage. */
    static final class F64 extends Storage {
        final DMatrixRMaj matrix;
        final double[] data;

        F64(DMatrixRMaj matrix) {
            this.matrix = matrix;
            this.data = matrix.data;
        }

        @Override
        Precision precision() {
            return Precision.DOUBLE;
        }

        @Override
        int size() {
            return matrix.getNumElements();
        }

        @Override
        double get(int index) {
            return data[index];
        }

        @Override
        void set(int index, double value) {
            data[index] = value;
        }

        @Override
        void add(int index, double value) {
            data[index] += value;
        }

        @Override
        void fill(double value) {
            java.util.Arrays.fill(data, 0, size(), value);
        }

        @Override
        void addScaled(Storage other, double alpha) {
            double[] src = ((F64) other).data;
            int n = size();
            for (int i = 0; i < n; i++) {
                data[i] += alpha * src[i];
            }
        }

        @Override
        void copyFrom(Storage other) {
            System.arraycopy(((F64) other).data, 0, data, 0, size());
        }

        @Override
        void product(Storage a, boolean transA, Storage b, boolean transB, int m, int k, int n,
                boolean accumulate) {
            // Plain loops, not EJML's CommonOps_DDRM: this double path only serves gradient checks, and leaving
            // ejml-ddense out keeps the adapter resolvable as a module (ejml-ddense and ejml-fdense both hold
            // org.ejml.dense.row, a split package that no module layer accepts).
            double[] x = ((F64) a).data;
            double[] y = ((F64) b).data;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += (transA ? x[p * m + i] : x[i * k + p]) * (transB ? y[j * k + p] : y[p * n + j]);
                    }
                    data[i * n + j] = accumulate ? data[i * n + j] + sum : sum;
                }
            }
        }
    }
}
