package io.github.pointclip.onnx.bundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What an encoder model must look like: for each {@link TensorRole}, the expected input or
 * output ({@link TensorSpec}, where null name, type or shape mean "any"). {@link #check} compares
 * it with a model's actual {@link ModelSignature} and reports every missing or mismatched
 * tensor at once. Immutable.
 *
 * <p>Rules: named expectations are matched by name first; an expectation without a name then
 * takes the only input (or output) left. An optional input may be absent. Every input of the
 * model must be claimed by some expectation, because an encoder could not feed it; extra
 * outputs are fine (Hugging Face models also return hidden states).
 */
public final class ExpectedSignature {

    /**
     * One expected input or output.
     *
     * @param role what it is for
     * @param spec the expected name, type and shape (null parts are not checked)
     * @param optional whether the model may lack it (inputs only)
     */
    public record ExpectedTensor(TensorRole role, TensorSpec spec, boolean optional) {
        /** Checks the arguments. */
        public ExpectedTensor {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(spec, "spec");
        }
    }

    private final List<ExpectedTensor> inputs;
    private final List<ExpectedTensor> outputs;

    private ExpectedSignature(List<ExpectedTensor> inputs, List<ExpectedTensor> outputs) {
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        for (ExpectedTensor o : this.outputs) {
            if (o.optional()) {
                throw new IllegalArgumentException("outputs cannot be optional: " + o.role());
            }
        }
    }

    /**
     * @param inputs the expected inputs
     * @param outputs the expected outputs (none optional)
     * @return the expectation
     */
    public static ExpectedSignature of(List<ExpectedTensor> inputs, List<ExpectedTensor> outputs) {
        return new ExpectedSignature(inputs, outputs);
    }

    /** @return the expected inputs */
    public List<ExpectedTensor> inputs() {
        return inputs;
    }

    /** @return the expected outputs */
    public List<ExpectedTensor> outputs() {
        return outputs;
    }

    /**
     * Checks a model against this expectation.
     *
     * @param modelFile the model's file, for the message; may be null
     * @param actual the model's signature
     * @return the model's actual tensor for each role it has
     * @throws ModelSignatureException listing every problem, when there is any
     */
    public SignatureBinding check(Path modelFile, ModelSignature actual) throws ModelSignatureException {
        Map<TensorRole, TensorSpec> bound = new EnumMap<>(TensorRole.class);
        List<String> problems = new ArrayList<>();
        bind("input", inputs, actual.inputs(), bound, problems, true);
        bind("output", outputs, actual.outputs(), bound, problems, false);
        if (!problems.isEmpty()) {
            throw new ModelSignatureException(modelFile, problems);
        }
        return new SignatureBinding(bound);
    }

    /**
     * @param actual the model's signature
     * @return one line per problem; empty when the model matches
     */
    public List<String> problems(ModelSignature actual) {
        try {
            check(null, actual);
            return List.of();
        } catch (ModelSignatureException e) {
            return e.problems();
        }
    }

    private static void bind(String kind, List<ExpectedTensor> expected, List<TensorSpec> actual,
            Map<TensorRole, TensorSpec> bound, List<String> problems, boolean allMustBeClaimed) {
        List<TensorSpec> unclaimed = new ArrayList<>(actual);
        // Named expectations first, so that an unnamed one is left with what nobody else claims.
        for (ExpectedTensor e : expected) {
            String name = e.spec().name();
            if (name == null) {
                continue;
            }
            TensorSpec found = actual.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
            if (found == null) {
                if (!e.optional()) {
                    problems.add("missing " + kind + " '" + name + "' (the " + e.role().description() + "); the model's "
                        + kind + "s are: " + ModelSignature.list(actual));
                }
                continue;
            }
            unclaimed.remove(found);
            compare(kind, e, found, problems);
            bound.put(e.role(), found);
        }
        for (ExpectedTensor e : expected) {
            if (e.spec().name() != null) {
                continue;
            }
            if (unclaimed.size() == 1) {
                TensorSpec found = unclaimed.remove(0);
                compare(kind, e, found, problems);
                bound.put(e.role(), found);
            } else if (unclaimed.isEmpty()) {
                if (!e.optional()) {
                    problems.add("no " + kind + " left for the " + e.role().description() + "; the model's " + kind
                        + "s are: " + ModelSignature.list(actual));
                }
            } else {
                problems.add("cannot tell which " + kind + " is the " + e.role().description() + ": candidates "
                    + ModelSignature.list(unclaimed) + "; name it in pointclip-model.json");
                unclaimed.clear();
            }
        }
        if (allMustBeClaimed) {
            for (TensorSpec extra : unclaimed) {
                problems.add("unexpected " + kind + " " + extra + ": not declared in the manifest, so nothing would feed it");
            }
        }
    }

    private static void compare(String kind, ExpectedTensor e, TensorSpec found, List<String> problems) {
        TensorSpec want = e.spec();
        String what = kind + " '" + found.name() + "' (the " + e.role().description() + ")";
        if (want.type() != null && want.type() != found.type()) {
            problems.add(what + ": expected type " + want.type() + ", found " + found.type());
        }
        long[] ws = want.shape();
        long[] fs = found.shape();
        if (ws != null && !shapesCompatible(ws, fs)) {
            problems.add(what + ": expected shape " + TensorSpec.shapeString(ws) + ", found " + TensorSpec.shapeString(fs)
                + " (-1 means any size)");
        }
    }

    private static boolean shapesCompatible(long[] expected, long[] actual) {
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != -1 && actual[i] != -1 && expected[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "inputs " + inputs.stream().map(e -> e.role() + "=" + e.spec()).collect(Collectors.joining(", "))
            + ", outputs " + outputs.stream().map(e -> e.role() + "=" + e.spec()).collect(Collectors.joining(", "));
    }
}
