package io.github.pointclip.onnx.internal;

import io.github.pointclip.onnx.internal.OnnxGraph.Node;
import io.github.pointclip.onnx.internal.OnnxGraph.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The final layer norm and projection of a CLIP image encoder, taken from the ONNX file of a Hugging
 * Face export that has {@code last_hidden_state} but no {@code token_embeds}: the head that turns the
 * class token of {@code last_hidden_state} into {@code image_embeds}
 * ({@code visual_projection(post_layernorm(last_hidden_state[:, 0, :]))}), applied here to every token.
 *
 * <p>{@link #find} follows the graph back from the image embedding output: a {@code MatMul} (or
 * {@code Gemm}) with a constant [H, D] matrix, a layer norm with constant γ and β (one
 * {@code LayerNormalization} node, or the {@code ReduceMean}/{@code Sub}/{@code Pow}/{@code Sqrt}/
 * {@code Div}/{@code Mul}/{@code Add} chain that exporters emit below opset 17), and the selection
 * of token 0 ({@code Gather} or {@code Slice} on axis 1) of {@code last_hidden_state}. Anything else
 * is refused with a one-line reason, so that a graph of another form never yields wrong features.
 *
 * <p>{@link #onnxModel()} gives the head as a model of its own, which ONNX Runtime runs on the
 * encoder's device: x̂ = (x − mean(x)) / √(var(x) + ε) · γ + β per token (biased variance), then
 * x̂ · W (+ the projection's bias, if the graph has one). Immutable and thread-safe.
 */
public final class ProjectionHead {

    /** Operators that pass a value through unchanged for this purpose. */
    private static final Set<String> PASS_THROUGH = Set.of("Identity", "Cast");

    private final int hidden;
    private final int dim;
    private final float[] gamma;
    private final float[] beta;
    private final double epsilon;
    /** W as [H][D], row-major: token_embeds = x̂ · W. */
    private final float[] weight;
    /** Projection bias [D], or null. */
    private final float[] bias;

    ProjectionHead(float[] gamma, float[] beta, double epsilon, float[] weight, float[] bias, int dim) {
        this.hidden = gamma.length;
        this.dim = dim;
        this.gamma = gamma;
        this.beta = beta;
        this.epsilon = epsilon;
        this.weight = weight;
        this.bias = bias;
        if (beta.length != hidden || weight.length != (long) hidden * dim || (bias != null && bias.length != dim)) {
            throw new IllegalArgumentException("inconsistent head: γ " + gamma.length + ", β " + beta.length + ", W "
                + weight.length + ", bias " + (bias == null ? "none" : bias.length) + " for H " + hidden + ", D " + dim);
        }
    }

    /**
     * A head from explicit weights (as in a checkpoint's {@code post_layernorm} and
     * {@code visual_projection}).
     *
     * @param gamma layer-norm scale [H]
     * @param beta layer-norm shift [H]
     * @param epsilon layer-norm ε
     * @param projection the Linear weight [D, H] as PyTorch stores it (out, in), row-major
     * @param dim D
     * @return the head
     */
    public static ProjectionHead of(float[] gamma, float[] beta, double epsilon, float[] projection, int dim) {
        int h = gamma.length;
        if (projection.length != (long) h * dim) {
            throw new IllegalArgumentException("projection has " + projection.length + " values, expected " + dim + "x" + h);
        }
        float[] w = new float[h * dim];
        for (int d = 0; d < dim; d++) {
            for (int k = 0; k < h; k++) {
                w[k * dim + d] = projection[d * h + k];
            }
        }
        return new ProjectionHead(gamma.clone(), beta.clone(), epsilon, w, null, dim);
    }

    /** @return H, the width of the hidden states */
    public int hiddenSize() {
        return hidden;
    }

    /** @return D, the width of the projected tokens */
    public int embeddingDim() {
        return dim;
    }

    /** @return the layer norm's ε */
    public double epsilon() {
        return epsilon;
    }

    /** Name of the input of {@link #onnxModel()}: hidden states [batch, tokens, H], float32. */
    public static final String INPUT = "hidden_states";
    /** Name of the output of {@link #onnxModel()}: projected tokens [batch, tokens, D], float32. */
    public static final String OUTPUT = "token_embeds";

    /**
     * The head as a small ONNX model, so that it runs where the image encoder runs (ONNX Runtime's
     * GEMM, on the CPU or the GPU), not in a Java loop: {@value #INPUT} float32 [batch, tokens, H] →
     * {@code LayerNormalization} (axis −1, ε, γ, β) → {@code MatMul} W [H, D] (→ {@code Add} the
     * projection's bias, if any) → {@value #OUTPUT} float32 [batch, tokens, D]. IR 8, opset 17.
     *
     * @return the model file's bytes
     */
    public byte[] onnxModel() {
        Proto graph = new Proto();
        graph.message(1, node("LayerNormalization", new String[] {INPUT, "gamma", "beta"}, "normed")
            .message(5, new Proto().string(1, "axis").int64(20, 2).int64(3, -1))
            .message(5, new Proto().string(1, "epsilon").int64(20, 1).float32(2, (float) epsilon)));
        graph.message(1, node("MatMul", new String[] {"normed", "weight"}, bias == null ? OUTPUT : "projected"));
        if (bias != null) {
            graph.message(1, node("Add", new String[] {"projected", "bias"}, OUTPUT));
        }
        graph.string(2, "projection_head");
        graph.message(5, tensor("gamma", gamma, hidden));
        graph.message(5, tensor("beta", beta, hidden));
        graph.message(5, tensor("weight", weight, hidden, dim));
        if (bias != null) {
            graph.message(5, tensor("bias", bias, dim));
        }
        graph.message(11, valueInfo(INPUT, "batch", "tokens", hidden));
        graph.message(12, valueInfo(OUTPUT, "batch", "tokens", dim));
        Proto model = new Proto().int64(1, 8).string(2, "pointclip");
        model.message(7, graph);
        model.message(8, new Proto().string(1, "").int64(2, 17));
        return model.bytes();
    }

    private static Proto node(String op, String[] inputs, String output) {
        Proto p = new Proto();
        for (String in : inputs) {
            p.string(1, in);
        }
        return p.string(2, output).string(3, op + "_" + output).string(4, op);
    }

    private static Proto tensor(String name, float[] values, long... dims) {
        Proto p = new Proto();
        for (long d : dims) {
            p.int64(1, d);
        }
        p.int64(2, 1).string(8, name);
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return p.bytes(9, raw.array());
    }

    private static Proto valueInfo(String name, String batch, String tokens, int width) {
        Proto shape = new Proto()
            .message(1, new Proto().string(2, batch))
            .message(1, new Proto().string(2, tokens))
            .message(1, new Proto().int64(1, width));
        Proto tensorType = new Proto().int64(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** A protobuf message being written, field by field. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private Proto varint(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        private Proto tag(int field, int wire) {
            return varint(((long) field << 3) | wire);
        }

        Proto int64(int field, long value) {
            return tag(field, 0).varint(value);
        }

        Proto float32(int field, float value) {
            tag(field, 5);
            int bits = Float.floatToRawIntBits(value);
            for (int k = 0; k < 4; k++) {
                out.write((bits >>> (8 * k)) & 0xFF);
            }
            return this;
        }

        Proto bytes(int field, byte[] value) {
            tag(field, 2).varint(value.length);
            out.write(value, 0, value.length);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto message) {
            return bytes(field, message.bytes());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /**
     * Finds the head in a graph.
     *
     * @param graph the image encoder's graph
     * @param imageOutput the image embedding output, e.g. {@code image_embeds}
     * @param hiddenOutput the hidden-state output, e.g. {@code last_hidden_state}
     * @return the head
     * @throws IOException with a one-line reason naming what was not found, or when a weight cannot be read
     */
    public static ProjectionHead find(OnnxGraph graph, String imageOutput, String hiddenOutput) throws IOException {
        return new Finder(graph, imageOutput).find(hiddenOutput);
    }

    /** Thrown when the graph is not of the expected form; the message is the reason, one line. */
    public static final class NotFoundException extends IOException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String message) {
            super(message);
        }
    }

    private static final class Finder {
        private final OnnxGraph graph;
        private final String imageOutput;

        Finder(OnnxGraph graph, String imageOutput) {
            this.graph = graph;
            this.imageOutput = imageOutput;
        }

        private NotFoundException fail(String what) {
            return new NotFoundException("the projection head of '" + imageOutput + "' was not found: " + what);
        }

        ProjectionHead find(String hiddenOutput) throws IOException {
            if (!graph.outputs().contains(imageOutput)) {
                throw fail("the graph has no output '" + imageOutput + "'");
            }
            // projection
            Node proj = producer(skip(imageOutput), "the projection (MatMul or Gemm)");
            float[] weight;
            float[] bias = null;
            int hidden;
            int dim;
            String normedValue;
            if (proj.opType().equals("MatMul")) {
                Optional<Tensor> w = constant(proj.inputs().get(1));
                if (w.isEmpty() || w.get().shape().length != 2) {
                    throw fail(proj.describe() + " does not multiply by a constant 2-D matrix");
                }
                long[] s = w.get().shape();
                hidden = (int) s[0];
                dim = (int) s[1];
                weight = floats(w.get());
                normedValue = proj.inputs().get(0);
            } else if (proj.opType().equals("Gemm")) {
                Optional<Tensor> w = constant(proj.inputs().get(1));
                if (w.isEmpty() || w.get().shape().length != 2) {
                    throw fail(proj.describe() + " does not multiply by a constant 2-D matrix");
                }
                if (intAttr(proj, "transA", 0) != 0 || floatAttr(proj, "alpha", 1f) != 1f
                        || floatAttr(proj, "beta", 1f) != 1f) {
                    throw fail(proj.describe() + " has transA, alpha or beta set");
                }
                long[] s = w.get().shape();
                float[] raw = floats(w.get());
                if (intAttr(proj, "transB", 0) != 0) {
                    dim = (int) s[0];
                    hidden = (int) s[1];
                    weight = new float[raw.length];
                    for (int d = 0; d < dim; d++) {
                        for (int k = 0; k < hidden; k++) {
                            weight[k * dim + d] = raw[d * hidden + k];
                        }
                    }
                } else {
                    hidden = (int) s[0];
                    dim = (int) s[1];
                    weight = raw;
                }
                if (proj.inputs().size() > 2 && !proj.inputs().get(2).isEmpty()) {
                    Tensor c = constant(proj.inputs().get(2)).orElseThrow(
                        () -> fail(proj.describe() + " adds a bias that is not a constant"));
                    if (c.elementCount() != dim) {
                        throw fail(proj.describe() + " adds a bias of shape " + Arrays.toString(c.shape())
                            + ", expected [" + dim + "]");
                    }
                    bias = floats(c);
                }
                normedValue = proj.inputs().get(0);
            } else {
                throw fail("'" + imageOutput + "' is computed by " + proj.describe()
                    + ", expected MatMul or Gemm with the projection matrix (a quantized or fused export?)");
            }
            // layer norm
            Norm norm = layerNorm(skip(normedValue), hidden);
            // class-token selection from last_hidden_state
            String selected = skip(norm.input);
            Node select = producer(selected, "the class-token selection (Gather or Slice on axis 1)");
            String source;
            int rank; // of the layer norm's input: [B, H] or [B, 1, H]
            if (select.opType().equals("Gather")) {
                long axis = intAttr(select, "axis", 0);
                Tensor index = constant(select.inputs().get(1)).orElseThrow(
                    () -> fail(select.describe() + " takes a token index that is not a constant"));
                if (axis != 1 || index.elementCount() != 1 || floatsOrLongs(index) != 0) {
                    throw fail(select.describe() + " does not take token 0 on axis 1 (the class token)");
                }
                source = select.inputs().get(0);
                rank = index.shape().length == 0 ? 2 : 3;
            } else if (select.opType().equals("Slice")) {
                source = sliceOfFirstToken(select);
                rank = 3;
            } else if (select.opType().equals("Squeeze") || select.opType().equals("Reshape")) {
                Node slice = producer(skip(select.inputs().get(0)), "the class-token selection (Slice on axis 1)");
                if (!slice.opType().equals("Slice")) {
                    throw fail("expected the class token to be selected by Gather or Slice, found " + slice.describe());
                }
                source = sliceOfFirstToken(slice);
                rank = 2;
            } else {
                throw fail("the layer norm's input comes from " + select.describe()
                    + ", expected the class token of '" + hiddenOutput + "' (Gather or Slice on axis 1)");
            }
            checkLastAxis(norm, rank);
            if (!root(source).equals(root(hiddenOutput))) {
                throw fail("the class token is taken from '" + source + "', not from '" + hiddenOutput + "'");
            }
            return new ProjectionHead(norm.gamma, norm.beta, norm.epsilon, weight, bias, dim);
        }

        /**
         * The layer norm must normalise the last axis of its rank-{@code rank} input: LayerNormalization's axis -1 or
         * rank − 1; each ReduceMean of the decomposed form one axis, the last, keeping it.
         */
        private void checkLastAxis(Norm norm, int rank) throws IOException {
            for (Node node : norm.axisNodes) {
                long[] axes;
                if (node.opType().equals("LayerNormalization")) {
                    axes = new long[] {intAttr(node, "axis", -1)};
                } else {
                    if (intAttr(node, "keepdims", 1) == 0) {
                        throw fail(node.describe() + " in the final layer norm drops the reduced axis (keepdims 0)");
                    }
                    axes = node.attribute("axes").map(OnnxGraph.Attribute::ints).orElse(null);
                    if (axes == null && node.inputs().size() > 1 && !node.inputs().get(1).isEmpty()) { // opset 18
                        Tensor t = constant(node.inputs().get(1)).orElseThrow(
                            () -> fail(node.describe() + " in the final layer norm has non-constant axes"));
                        axes = t.longs();
                    }
                    if (axes == null || axes.length == 0) {
                        throw fail(node.describe() + " in the final layer norm reduces every axis, expected the last");
                    }
                }
                if (axes.length != 1 || (axes[0] != -1 && axes[0] != rank - 1)) {
                    throw fail(node.describe() + " in the final layer norm normalises axis " + (axes.length == 1
                        ? String.valueOf(axes[0]) : Arrays.toString(axes)) + " of its rank-" + rank
                        + " input, expected the last (-1 or " + (rank - 1) + ")");
                }
            }
        }

        private String sliceOfFirstToken(Node slice) throws IOException {
            List<String> in = slice.inputs();
            if (in.size() < 4) {
                throw fail(slice.describe() + " has no explicit axes");
            }
            long start = scalar(in.get(1), slice);
            long end = scalar(in.get(2), slice);
            long axis = scalar(in.get(3), slice);
            if (axis != 1 || start != 0 || end != 1) {
                throw fail(slice.describe() + " does not take token 0 on axis 1 (the class token)");
            }
            return in.get(0);
        }

        private long scalar(String value, Node node) throws IOException {
            Tensor t = constant(value).orElseThrow(() -> fail(node.describe() + " has a non-constant argument"));
            if (t.elementCount() != 1) {
                throw fail(node.describe() + " has a non-scalar argument " + Arrays.toString(t.shape()));
            }
            return floatsOrLongs(t);
        }

        private static final class Norm {
            String input;
            float[] gamma;
            float[] beta;
            double epsilon;
            /** The LayerNormalization node, or the two ReduceMean nodes: their axes are checked against the rank. */
            List<Node> axisNodes = List.of();
        }

        private Norm layerNorm(String value, int hidden) throws IOException {
            Node top = producer(value, "the final layer norm");
            Norm norm = new Norm();
            if (top.opType().equals("LayerNormalization")) {
                norm.axisNodes = List.of(top);
                norm.input = top.inputs().get(0);
                norm.gamma = vector(top.inputs().get(1), hidden, top, "scale");
                norm.beta = top.inputs().size() > 2 && !top.inputs().get(2).isEmpty()
                    ? vector(top.inputs().get(2), hidden, top, "bias") : new float[hidden];
                norm.epsilon = floatAttr(top, "epsilon", 1e-5f);
                return norm;
            }
            // decomposed: Add(Mul(Div(Sub(x, ReduceMean(x)), Sqrt(Add(ReduceMean(Pow(d, 2)), eps))), γ), β)
            if (!top.opType().equals("Add")) {
                throw fail("the projection's input comes from " + top.describe()
                    + ", expected the final layer norm (LayerNormalization, or Mul and Add with constant γ and β)");
            }
            int betaAt = constantVectorIndex(top, hidden);
            if (betaAt < 0) {
                throw fail(top.describe() + " before the projection does not add a constant β of size " + hidden);
            }
            norm.beta = vector(top.inputs().get(betaAt), hidden, top, "β");
            Node mul = producer(skip(top.inputs().get(1 - betaAt)), "the layer norm's scaling (Mul by γ)");
            int gammaAt = mul.opType().equals("Mul") ? constantVectorIndex(mul, hidden) : -1;
            if (gammaAt < 0) {
                throw fail("expected Mul by a constant γ of size " + hidden + " in the final layer norm, found "
                    + mul.describe());
            }
            norm.gamma = vector(mul.inputs().get(gammaAt), hidden, mul, "γ");
            Node div = producer(skip(mul.inputs().get(1 - gammaAt)), "the layer norm's division");
            if (!div.opType().equals("Div")) {
                throw fail("expected Div by the standard deviation in the final layer norm, found " + div.describe());
            }
            Node sub = producer(skip(div.inputs().get(0)), "the layer norm's centring (Sub)");
            Node sqrt = producer(skip(div.inputs().get(1)), "the layer norm's Sqrt");
            if (!sub.opType().equals("Sub") || !sqrt.opType().equals("Sqrt")) {
                throw fail("expected Div(Sub(x, mean), Sqrt(var + ε)) in the final layer norm, found Div("
                    + sub.describe() + ", " + sqrt.describe() + ")");
            }
            Node mean = producer(skip(sub.inputs().get(1)), "the layer norm's mean");
            if (!mean.opType().equals("ReduceMean") || !root(mean.inputs().get(0)).equals(root(sub.inputs().get(0)))) {
                throw fail("expected Sub(x, ReduceMean(x)) in the final layer norm, found Sub(…, " + mean.describe() + ")");
            }
            Node addEps = producer(skip(sqrt.inputs().get(0)), "the layer norm's ε");
            int epsAt = addEps.opType().equals("Add") ? scalarIndex(addEps) : -1;
            if (epsAt < 0) {
                throw fail("expected Sqrt(var + constant ε) in the final layer norm, found Sqrt(" + addEps.describe() + ")");
            }
            Node variance = producer(skip(addEps.inputs().get(1 - epsAt)), "the layer norm's variance");
            if (!variance.opType().equals("ReduceMean")) {
                throw fail("expected ReduceMean for the variance in the final layer norm, found " + variance.describe());
            }
            Node square = producer(skip(variance.inputs().get(0)), "the layer norm's square");
            boolean squares = (square.opType().equals("Pow") && root(square.inputs().get(0)).equals(root(sub.outputs().get(0)))
                    && constant(square.inputs().get(1)).isPresent() && floatsOrLongs(constant(square.inputs().get(1)).get()) == 2)
                || (square.opType().equals("Mul") && root(square.inputs().get(0)).equals(root(sub.outputs().get(0)))
                    && root(square.inputs().get(1)).equals(root(sub.outputs().get(0))));
            if (!squares) {
                throw fail("expected the variance of (x − mean) in the final layer norm, found " + square.describe());
            }
            norm.axisNodes = List.of(mean, variance);
            norm.input = sub.inputs().get(0);
            norm.epsilon = floats(constant(addEps.inputs().get(epsAt)).get())[0];
            return norm;
        }

        private int constantVectorIndex(Node node, int size) {
            for (int k = 0; k < 2 && k < node.inputs().size(); k++) {
                Optional<Tensor> t = constant(node.inputs().get(k));
                if (t.isPresent() && t.get().elementCount() == size && t.get().isFloating()) {
                    return k;
                }
            }
            return -1;
        }

        private int scalarIndex(Node node) {
            for (int k = 0; k < 2 && k < node.inputs().size(); k++) {
                Optional<Tensor> t = constant(node.inputs().get(k));
                if (t.isPresent() && t.get().elementCount() == 1 && t.get().isFloating()) {
                    return k;
                }
            }
            return -1;
        }

        private float[] vector(String value, int size, Node node, String what) throws IOException {
            Tensor t = constant(value).orElseThrow(() -> fail(node.describe() + ": " + what + " is not a constant"));
            if (t.elementCount() != size) {
                throw fail(node.describe() + ": " + what + " has shape " + Arrays.toString(t.shape())
                    + ", expected [" + size + "] (the projection's input width)");
            }
            return floats(t);
        }

        /** Skips pass-through nodes (Identity, Cast) back from a value. */
        private String skip(String value) {
            String v = value;
            for (Optional<Node> p = graph.producer(v); p.isPresent() && PASS_THROUGH.contains(p.get().opType());
                    p = graph.producer(v)) {
                v = p.get().inputs().get(0);
            }
            return v;
        }

        /** Like {@link #skip}, but only through Identity: the value itself, not a converted copy. */
        private String root(String value) {
            String v = value;
            for (Optional<Node> p = graph.producer(v); p.isPresent() && p.get().opType().equals("Identity");
                    p = graph.producer(v)) {
                v = p.get().inputs().get(0);
            }
            return v;
        }

        private Node producer(String value, String what) throws NotFoundException {
            return graph.producer(value).orElseThrow(() -> fail("no node computes " + what + " ('" + value
                + "' is a graph input or a constant)"));
        }

        /** An initializer, a Constant node's value, or either through Identity/Cast. */
        private Optional<Tensor> constant(String value) {
            String v = skip(value);
            Optional<Tensor> init = graph.initializer(v);
            if (init.isPresent()) {
                return init;
            }
            Optional<Node> p = graph.producer(v);
            if (p.isPresent() && p.get().opType().equals("Constant")) {
                return p.get().attribute("value").flatMap(OnnxGraph.Attribute::tensor);
            }
            return Optional.empty();
        }

        private float[] floats(Tensor t) throws IOException {
            if (!t.isFloating()) {
                throw fail("constant '" + t.name() + "' is not floating-point");
            }
            return t.floats();
        }

        /** The single value of a small int64/int32 or floating constant, as a long. */
        private long floatsOrLongs(Tensor t) throws IOException {
            if (t.isFloating()) {
                return (long) t.floats()[0];
            }
            return t.longs()[0];
        }

        private static long intAttr(Node node, String name, long fallback) {
            return node.attribute(name).flatMap(OnnxGraph.Attribute::intValue).orElse(fallback);
        }

        private static float floatAttr(Node node, String name, float fallback) {
            return node.attribute(name).flatMap(OnnxGraph.Attribute::floatValue).orElse(fallback);
        }
    }
}
