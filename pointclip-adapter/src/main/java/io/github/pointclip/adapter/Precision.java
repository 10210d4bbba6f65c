package io.github.pointclip.adapter;

/**
 * Numeric precision of the few-shot adapter's parameters and training tensors: float for training,
 * double for gradient checks.
 */
public enum Precision {
    /** 32-bit floats stored in an EJML {@code FMatrixRMaj}; the training precision. */
    FLOAT,
    /** 64-bit doubles stored in an EJML {@code DMatrixRMaj}; used for finite-difference gradient checks. */
    DOUBLE
}
