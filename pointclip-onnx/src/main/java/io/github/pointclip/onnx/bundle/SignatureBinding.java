package io.github.pointclip.onnx.bundle;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The result of a successful {@link ExpectedSignature#check}: for each role, the model's actual
 * input or output (real name, type and shape). Encoders feed and read tensors by these names
 * and types. Immutable.
 */
public final class SignatureBinding {

    private final Map<TensorRole, TensorSpec> bound;

    SignatureBinding(Map<TensorRole, TensorSpec> bound) {
        this.bound = bound.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(bound));
    }

    /**
     * @param role a role
     * @return the model's tensor in that role, empty for an optional input the model lacks
     */
    public Optional<TensorSpec> find(TensorRole role) {
        return Optional.ofNullable(bound.get(role));
    }

    /**
     * @param role a role the signature requires
     * @return the model's tensor in that role
     * @throws IllegalArgumentException when the role is not bound (optional and absent, or not part of this model)
     */
    public TensorSpec get(TensorRole role) {
        TensorSpec spec = bound.get(role);
        if (spec == null) {
            throw new IllegalArgumentException("no " + role.description() + " in this model");
        }
        return spec;
    }

    @Override
    public String toString() {
        return new EnumMap<>(bound).toString();
    }
}
