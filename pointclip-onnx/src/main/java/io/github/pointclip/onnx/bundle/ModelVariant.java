package io.github.pointclip.onnx.bundle;

/**
 * Which of the transformers.js model files to load: they ship {@code onnx/vision_model.onnx} and
 * variants such as {@code onnx/vision_model_quantized.onnx} and {@code onnx/vision_model_fp16.onnx}.
 * Only the Hugging Face layout has variants.
 */
public enum ModelVariant {
    /** The full-precision model, {@code vision_model.onnx}. */
    DEFAULT(""),
    /** Dynamically quantised (8-bit weights, float32 inputs and outputs), {@code _quantized}. */
    QUANTIZED("_quantized"),
    /** Half precision, {@code _fp16}; input and output types are taken from the model. */
    FP16("_fp16"),
    /** 8-bit signed weights, {@code _int8}. */
    INT8("_int8"),
    /** 8-bit unsigned weights, {@code _uint8}. */
    UINT8("_uint8"),
    /** 4-bit weights, {@code _q4}. */
    Q4("_q4"),
    /** 4-bit weights with half-precision activations, {@code _q4f16}; types taken from the model. */
    Q4F16("_q4f16"),
    /** bitsandbytes 4-bit weights, {@code _bnb4}. */
    BNB4("_bnb4");

    private final String suffix;

    ModelVariant(String suffix) {
        this.suffix = suffix;
    }

    /** @return the file-name suffix, e.g. {@code _quantized}; empty for {@link #DEFAULT} */
    public String suffix() {
        return suffix;
    }

    /** @return whether the variant may take or return half-precision tensors */
    boolean halfPrecisionIo() {
        return this == FP16 || this == Q4F16;
    }
}
