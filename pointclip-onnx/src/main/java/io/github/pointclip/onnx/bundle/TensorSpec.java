package io.github.pointclip.onnx.bundle;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Name, element type and shape of one model input or output. Used both for what a model
 * actually has and for what a manifest expects; in an expectation, a null name means "the
 * model's only remaining input (or output), whatever its name", a null type or shape means
 * "not checked", and a dimension of −1 means "any size". In an actual signature, −1 marks a
 * dynamic (symbolic) dimension. Immutable.
 */
public final class TensorSpec {

    private final String name;
    private final TensorType type;
    private final long[] shape;

    private TensorSpec(String name, TensorType type, long[] shape) {
        if (name != null && name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty (use null for 'any name')");
        }
        if (shape != null) {
            for (long d : shape) {
                if (d < -1) {
                    throw new IllegalArgumentException("dimension " + d + " in shape " + Arrays.toString(shape)
                        + ": dimensions are sizes or -1 for 'any'");
                }
            }
        }
        this.name = name;
        this.type = type;
        this.shape = shape == null ? null : shape.clone();
    }

    /**
     * @param name the name, or null for "any name" (expectations only)
     * @param type the element type, or null for "not checked" (expectations only)
     * @param shape the dimensions, −1 for any or dynamic, or null for "not checked"; copied
     * @return the spec
     */
    public static TensorSpec of(String name, TensorType type, long... shape) {
        return new TensorSpec(name, type, shape);
    }

    /**
     * @param name the name, or null for "any name"
     * @return a spec that checks only the name
     */
    public static TensorSpec named(String name) {
        return new TensorSpec(name, null, null);
    }

    /** @return the name, or null for "any name" */
    public String name() {
        return name;
    }

    /** @return the element type, or null when not checked */
    public TensorType type() {
        return type;
    }

    /** @return a copy of the dimensions (−1 for any or dynamic), or null when not checked */
    public long[] shape() {
        return shape == null ? null : shape.clone();
    }

    /** @return the rank, or −1 when the shape is not checked */
    public int rank() {
        return shape == null ? -1 : shape.length;
    }

    /**
     * @param axis the axis
     * @return the size along {@code axis}, −1 when dynamic
     * @throws IllegalStateException when the shape is not known
     */
    public long dim(int axis) {
        if (shape == null) {
            throw new IllegalStateException("shape of '" + name + "' is not known");
        }
        return shape[axis];
    }

    /**
     * @param newName the name of the copy
     * @return a copy with another name
     */
    public TensorSpec withName(String newName) {
        return new TensorSpec(newName, type, shape);
    }

    /** @return the shape as {@code [-1,3,224,224]}, or {@code any} */
    static String shapeString(long[] shape) {
        return shape == null ? "any"
            : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
    }

    /** @return e.g. {@code pixel_values float32[-1,3,224,224]} */
    @Override
    public String toString() {
        return (name == null ? "<any name>" : "'" + name + "'") + " "
            + (type == null ? "any" : type.label()) + (shape == null ? "[any]" : shapeString(shape));
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TensorSpec)) {
            return false;
        }
        TensorSpec other = (TensorSpec) o;
        return Objects.equals(name, other.name) && type == other.type && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type) * 31 + Arrays.hashCode(shape);
    }
}
