package io.github.pointclip.onnx.bundle;

/**
 * Which of the transformers.js model files to load: they ship {@code onnx/vision_model.onnx} and
 * variants such as {@code onnx/vision_model_quantized.onnx} and {@code onnx/vision_model_fp16.onnx}.
 * Only the Hugging Face layout has variants; {@link ModelBundle#detect(java.nio.file.Path, BundleOptions)}
 * refuses any other than {@link #DEFAULT} for the other layouts rather than ignore it. Each variant has the name transformers.js gives it as a
 * {@code dtype} ({@code fp32}, {@code fp16}, {@code q8}, {@code int8}, {@code uint8}, {@code q4},
 * {@code q4f16}, {@code bnb4}); see {@link #dtype()} and {@link #fromDtype(String)}.
 */
public enum ModelVariant {
    /** The full-precision model, {@code vision_model.onnx}. */
    DEFAULT("fp32", ""),
    /** Dynamically quantised (8-bit weights, float32 inputs and outputs), {@code _quantized}. */
    QUANTIZED("q8", "_quantized"),
    /** Half precision, {@code _fp16}; input and output types are taken from the model. */
    FP16("fp16", "_fp16"),
    /** 8-bit signed weights, {@code _int8}. */
    INT8("int8", "_int8"),
    /** 8-bit unsigned weights, {@code _uint8}. */
    UINT8("uint8", "_uint8"),
    /** 4-bit weights, {@code _q4}. */
    Q4("q4", "_q4"),
    /** 4-bit weights with half-precision activations, {@code _q4f16}; types taken from the model. */
    Q4F16("q4f16", "_q4f16"),
    /** bitsandbytes 4-bit weights, {@code _bnb4}. */
    BNB4("bnb4", "_bnb4");

    private final String dtype;
    private final String suffix;

    ModelVariant(String dtype, String suffix) {
        this.dtype = dtype;
        this.suffix = suffix;
    }

    /** @return the transformers.js {@code dtype} name, e.g. {@code fp16} or {@code q8} */
    public String dtype() {
        return dtype;
    }

    /**
     * @param name a transformers.js {@code dtype} ({@code fp32}, {@code fp16}, {@code q8}, {@code int8},
     *     {@code uint8}, {@code q4}, {@code q4f16}, {@code bnb4}) or, leniently, a constant name such as
     *     {@code QUANTIZED}; case ignored
     * @return the variant
     * @throws IllegalArgumentException naming the known dtypes when none matches
     */
    public static ModelVariant fromDtype(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        for (ModelVariant v : values()) {
            if (v.dtype.equals(n) || v.name().toLowerCase(java.util.Locale.ROOT).equals(n)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; known (as transformers.js names them): "
            + java.util.Arrays.stream(values()).map(ModelVariant::dtype).collect(java.util.stream.Collectors.joining(", ")));
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
