package io.github.pointclip.onnx.bundle;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The inputs and outputs a loaded model actually has, as plain data, in the model's order.
 * Read from an ONNX Runtime session by the encoders when they load a model, or built by hand with
 * {@link #of(List, List)}.
 * Immutable.
 */
public final class ModelSignature {

    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    private ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        checkNamed(this.inputs, "input");
        checkNamed(this.outputs, "output");
    }

    private static void checkNamed(List<TensorSpec> specs, String what) {
        Set<String> seen = new HashSet<>();
        for (TensorSpec s : specs) {
            if (s.name() == null || s.type() == null || s.shape() == null) {
                throw new IllegalArgumentException("an actual " + what + " needs a name, a type and a shape: " + s);
            }
            if (!seen.add(s.name())) {
                throw new IllegalArgumentException("duplicate " + what + " name '" + s.name() + "'");
            }
        }
    }

    /**
     * @param inputs the inputs, each with name, type and shape
     * @param outputs the outputs, each with name, type and shape
     * @return the signature
     * @throws IllegalArgumentException when a spec lacks name, type or shape, or names repeat
     */
    public static ModelSignature of(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        return new ModelSignature(inputs, outputs);
    }

    /** @return the inputs, in the model's order */
    public List<TensorSpec> inputs() {
        return inputs;
    }

    /** @return the outputs, in the model's order */
    public List<TensorSpec> outputs() {
        return outputs;
    }

    /**
     * @param name an input name
     * @return the input of that name, if any
     */
    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * @param name an output name
     * @return the output of that name, if any
     */
    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return "inputs " + list(inputs) + ", outputs " + list(outputs);
    }

    static String list(List<TensorSpec> specs) {
        return specs.isEmpty() ? "(none)" : specs.stream().map(TensorSpec::toString).collect(Collectors.joining(", "));
    }
}
