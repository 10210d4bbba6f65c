package io.github.pointclip.onnx.bundle;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The inputs and outputs a loaded model actually has, as plain data, in the model's order.
 * Built from an ONNX Runtime session with {@link #of(OrtSession, Path)}, or by hand in tests.
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

    /**
     * Reads the signature of a loaded model. Inputs or outputs that are not tensors (sequences,
     * maps) are reported with type {@link TensorType#OTHER} and an empty shape.
     *
     * @param session the session; not modified, not closed
     * @param modelFile the file the session was loaded from, for messages; may be null
     * @return the signature, in the model's order
     * @throws BundleException when ONNX Runtime cannot describe the session (its
     *     {@code OrtException} is the cause)
     */
    public static ModelSignature of(OrtSession session, Path modelFile) throws BundleException {
        try {
            return new ModelSignature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
        } catch (OrtException e) {
            throw new BundleException(modelFile, "cannot read the model's inputs and outputs: " + CauseMessages.of(e), e);
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> specs = new ArrayList<>(infos.size());
        for (NodeInfo node : infos.values()) {
            if (node.getInfo() instanceof TensorInfo) {
                TensorInfo t = (TensorInfo) node.getInfo();
                long[] shape = t.getShape().clone();
                for (int i = 0; i < shape.length; i++) {
                    // ONNX Runtime reports symbolic dimensions as -1 (some builds as 0 or below): all dynamic.
                    if (shape[i] < 0) {
                        shape[i] = -1;
                    }
                }
                specs.add(TensorSpec.of(node.getName(), TensorType.fromOnnx(t.onnxType.name()), shape));
            } else {
                specs.add(TensorSpec.of(node.getName(), TensorType.OTHER));
            }
        }
        return specs;
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
