package io.github.pointclip.adapter.autograd;

/** Numeric precision of a {@link Tensor}: float for training, double for gradient checks. */
public enum Precision {
    /** 32-bit floats stored in an EJML {@code FMatrixRMaj}; the training precision. */
    FLOAT,
    /** 64-bit doubles stored in an EJML {@code DMatrixRMaj}; used for finite-difference gradient checks. */
    DOUBLE
}
