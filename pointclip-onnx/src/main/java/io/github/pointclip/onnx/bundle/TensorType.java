package io.github.pointclip.onnx.bundle;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Element type of a model input or output, named as in numpy ({@code float32}, {@code int64}, ...). */
public enum TensorType {
    /** 32-bit IEEE float. */
    FLOAT32("float32"),
    /** 16-bit IEEE float. */
    FLOAT16("float16"),
    /** bfloat16. */
    BFLOAT16("bfloat16"),
    /** 64-bit IEEE float. */
    FLOAT64("float64"),
    /** signed 8-bit integer. */
    INT8("int8"),
    /** unsigned 8-bit integer. */
    UINT8("uint8"),
    /** signed 16-bit integer. */
    INT16("int16"),
    /** signed 32-bit integer. */
    INT32("int32"),
    /** signed 64-bit integer. */
    INT64("int64"),
    /** boolean. */
    BOOL("bool"),
    /** string. */
    STRING("string"),
    /** any other element type, or a value that is not a tensor (sequence, map). */
    OTHER("other");

    private final String label;

    TensorType(String label) {
        this.label = label;
    }

    /** @return the numpy-style name, e.g. {@code float32} */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * @param name a numpy-style name ({@code float32}, {@code int64}, ...); {@code float},
     *     {@code double}, {@code half} and {@code long} are accepted as aliases, case ignored
     * @return the type
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static TensorType parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "float":
                return FLOAT32;
            case "double":
                return FLOAT64;
            case "half":
                return FLOAT16;
            case "long":
                return INT64;
            default:
                for (TensorType t : values()) {
                    if (t != OTHER && t.label.equals(n)) {
                        return t;
                    }
                }
                throw new IllegalArgumentException("unknown tensor type '" + name + "' (known: "
                    + Arrays.stream(values()).filter(t -> t != OTHER).map(TensorType::label)
                        .collect(Collectors.joining(", ")) + ")");
        }
    }

    /**
     * @param onnxElementType the name of an ONNX Runtime {@code OnnxTensorType} constant, e.g.
     *     {@code ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT}
     * @return the type, {@link #OTHER} for element types this library does not use
     */
    public static TensorType fromOnnx(String onnxElementType) {
        String prefix = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";
        String n = onnxElementType.startsWith(prefix) ? onnxElementType.substring(prefix.length()) : onnxElementType;
        switch (n) {
            case "FLOAT": return FLOAT32;
            case "FLOAT16": return FLOAT16;
            case "BFLOAT16": return BFLOAT16;
            case "DOUBLE": return FLOAT64;
            case "INT8": return INT8;
            case "UINT8": return UINT8;
            case "INT16": return INT16;
            case "INT32": return INT32;
            case "INT64": return INT64;
            case "BOOL": return BOOL;
            case "STRING": return STRING;
            default: return OTHER;
        }
    }
}
