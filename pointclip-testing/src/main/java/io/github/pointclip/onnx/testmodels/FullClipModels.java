package io.github.pointclip.onnx.testmodels;

import io.github.pointclip.onnx.testmodels.OnnxModelWriter.ElementType;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter.FloatSource;
import io.github.pointclip.onnx.testmodels.TinyClipModels.Layout;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;

/**
 * Random-weight ONNX models of the exact CLIP ViT architectures, for benchmarks: same operators,
 * shapes and FLOPs as OpenAI's ViT-B/16 and ViT-B/32 image encoders and the CLIP text
 * transformer, with weights drawn from a seed. The files are large (ViT-B/16 ≈ 345 MB) and are
 * written to a caller-given directory, never committed; weights are computed while the file is
 * streamed out, so generation needs little memory.
 *
 * <p>Image encoder: patch Conv (no bias) → flatten to tokens → class token → + positional
 * embedding → ln_pre → {@code layers} pre-LN residual blocks (multi-head self-attention with a
 * fused qkv projection; MLP width×4 with QuickGELU x·σ(1.702x)) → ln_post on the class token →
 * projection. Text encoder: token embedding + positional embedding → blocks with a causal mask
 * → ln_final → the state at the end-of-text token (ArgMax of the ids) → projection. LayerNorm
 * epsilon 1e-5, γ = 1, β = 0; every other weight and bias is approximately N(0, 0.02²) (an
 * Irwin–Hall sum of four uniforms, a pure function of seed, tensor and index).
 *
 * <p>Input and output names follow {@link Layout}: {@code input}/{@code output} (OpenAI) or
 * {@code pixel_values}/{@code image_embeds} and {@code input_ids}+{@code attention_mask}/{@code
 * text_embeds} plus {@code last_hidden_state} (Hugging Face, with symbolic image size and sequence
 * length; the mask is added to the causal mask as in HF CLIP).
 */
public final class FullClipModels {

    /**
     * Shape of a CLIP ViT image encoder.
     *
     * @param name display name
     * @param imageSize input side in pixels
     * @param patchSize patch side in pixels
     * @param width transformer width
     * @param layers number of residual blocks
     * @param heads attention heads
     * @param embedDim output (joint embedding) dimension
     */
    public record VisionConfig(String name, int imageSize, int patchSize, int width, int layers, int heads,
            int embedDim) {
        /** Validates the shape. */
        public VisionConfig {
            if (imageSize % patchSize != 0 || width % heads != 0 || layers < 1 || embedDim < 1) {
                throw new IllegalArgumentException("inconsistent vision config " + name);
            }
        }

        /** @return tokens per image: patches plus the class token */
        public int tokens() {
            int grid = imageSize / patchSize;
            return grid * grid + 1;
        }
    }

    /**
     * Shape of a CLIP text encoder.
     *
     * @param name display name
     * @param vocabSize token embedding rows
     * @param contextLength positions
     * @param width transformer width
     * @param layers number of residual blocks
     * @param heads attention heads
     * @param embedDim output (joint embedding) dimension
     */
    public record TextConfig(String name, int vocabSize, int contextLength, int width, int layers, int heads,
            int embedDim) {
        /** Validates the shape. */
        public TextConfig {
            if (width % heads != 0 || layers < 1 || embedDim < 1 || vocabSize < 1 || contextLength < 1) {
                throw new IllegalArgumentException("inconsistent text config " + name);
            }
        }
    }

    /** OpenAI CLIP ViT-B/16 image encoder. */
    public static final VisionConfig VIT_B_16 = new VisionConfig("ViT-B/16", 224, 16, 768, 12, 12, 512);
    /** OpenAI CLIP ViT-B/32 image encoder. */
    public static final VisionConfig VIT_B_32 = new VisionConfig("ViT-B/32", 224, 32, 768, 12, 12, 512);
    /** The text encoder shared by CLIP ViT-B/16 and ViT-B/32. */
    public static final TextConfig VIT_B_TEXT = new TextConfig("ViT-B text", 49408, 77, 512, 12, 8, 512);

    /** Initializers whose names start with this are constants, not model parameters. */
    static final String CONSTANT_PREFIX = "const.";
    private static final float WEIGHT_STD = 0.02f;
    private static final float LN_EPSILON = 1e-5f;

    private FullClipModels() {
    }

    /**
     * Writes one random-weight CLIP model pair in a public layout.
     *
     * <p>Arguments: output directory (required), backbone {@code ViT-B/16} (default) or
     * {@code ViT-B/32}, layout {@code openai} (default) or {@code hf}, seed (default 1), then
     * {@code tokens} to add the {@code token_embeds} output of part segmentation. The files
     * go to the layout's paths under the directory, e.g. {@code visual.onnx} and
     * {@code textual.onnx}.
     *
     * @param args see above
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: FullClipModels OUT_DIR [ViT-B/16|ViT-B/32] [openai|hf] [SEED] [tokens]");
        }
        Path dir = Paths.get(args[0]);
        VisionConfig vision = args.length > 1 && args[1].equalsIgnoreCase("ViT-B/32") ? VIT_B_32 : VIT_B_16;
        Layout layout = args.length > 2 ? Layout.valueOf(args[2].toUpperCase(Locale.ROOT)) : Layout.OPENAI;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        boolean tokens = args.length > 4 && args[4].equals("tokens");
        writeVisual(dir.resolve(layout.visualPath), vision, layout, seed, tokens);
        writeTextual(dir.resolve(layout.textualPath), VIT_B_TEXT, layout, seed);
    }

    /**
     * Writes an image encoder atomically.
     *
     * @param file target file
     * @param config architecture
     * @param layout naming convention
     * @param seed weight seed
     * @return {@code file}
     * @throws IOException if writing fails
     */
    public static Path writeVisual(Path file, VisionConfig config, Layout layout, long seed) throws IOException {
        return writeVisual(file, config, layout, seed, false);
    }

    /**
     * Writes an image encoder atomically, optionally with a {@code token_embeds} output (see
     * {@link #visualGraph(VisionConfig, Layout, long, boolean)}).
     *
     * @param file target file
     * @param config architecture
     * @param layout naming convention
     * @param seed weight seed
     * @param tokenEmbeds whether to add the {@code token_embeds} output
     * @return {@code file}
     * @throws IOException if writing fails
     */
    public static Path writeVisual(Path file, VisionConfig config, Layout layout, long seed, boolean tokenEmbeds)
            throws IOException {
        visualGraph(config, layout, seed, tokenEmbeds).write(file);
        return file;
    }

    /**
     * Writes a text encoder atomically.
     *
     * @param file target file
     * @param config architecture
     * @param layout naming convention
     * @param seed weight seed
     * @return {@code file}
     * @throws IOException if writing fails
     */
    public static Path writeTextual(Path file, TextConfig config, Layout layout, long seed) throws IOException {
        textualGraph(config, layout, seed).write(file);
        return file;
    }

    /**
     * Number of model parameters (float elements of all non-constant initializers).
     *
     * @param graph a graph from {@link #visualGraph} or {@link #textualGraph}
     * @return the parameter count
     */
    public static long parameterCount(OnnxModelWriter graph) {
        long total = 0;
        for (Map.Entry<String, long[]> init : graph.initializerShapes().entrySet()) {
            if (!init.getKey().startsWith(CONSTANT_PREFIX)) {
                long n = 1;
                for (long d : init.getValue()) {
                    n *= d;
                }
                total += n;
            }
        }
        return total;
    }

    /**
     * Builds (without computing any weight) the image encoder graph.
     *
     * @param c architecture
     * @param layout naming convention
     * @param seed weight seed
     * @return the graph, ready to write
     */
    public static OnnxModelWriter visualGraph(VisionConfig c, Layout layout, long seed) {
        return visualGraph(c, layout, seed, false);
    }

    /**
     * Builds (without computing any weight) the image encoder graph, optionally with the dense
     * features that zero-shot part segmentation needs: {@code token_embeds} [batch, tokens, embedDim],
     * every token after {@code ln_post} and the projection (its token 0 equals the image embedding).
     *
     * @param c architecture
     * @param layout naming convention
     * @param seed weight seed (the weights do not depend on {@code tokenEmbeds})
     * @param tokenEmbeds whether to add the {@code token_embeds} output
     * @return the graph, ready to write
     */
    public static OnnxModelWriter visualGraph(VisionConfig c, Layout layout, long seed, boolean tokenEmbeds) {
        Builder b = new Builder("clip_visual", seed, c.width(), c.heads());
        b.g.docString("Random-weight CLIP " + c.name() + " image encoder for benchmarks (not trained). Generated by "
                + FullClipModels.class.getName() + ", seed " + seed + ".");
        boolean hf = layout == Layout.HF;
        String pixels = hf
                ? b.g.input(layout.pixelInput, ElementType.FLOAT, "batch_size", "num_channels", "height", "width")
                : b.g.input(layout.pixelInput, ElementType.FLOAT, "batch_size", 3, c.imageSize(), c.imageSize());
        int w = c.width();
        int p = c.patchSize();
        String conv = b.random("visual.conv1.weight", w, 3, p, p);
        String x = b.g.node("Conv", pixels, conv).attrInts("kernel_shape", p, p).attrInts("strides", p, p).output();
        x = b.g.node("Reshape", x, b.longs("patch_shape", 0, w, -1)).output();
        x = b.g.node("Transpose", x).attrInts("perm", 0, 2, 1).output();
        String batch = b.g.node("Shape", pixels).attrInt("start", 0).attrInt("end", 1).output();
        String clsShape = b.g.node("Concat", batch, b.longs("cls_tail", 1, w)).attrInt("axis", 0).output();
        String cls = b.g.node("Expand", b.random("visual.class_embedding", 1, 1, w), clsShape).output();
        x = b.g.node("Concat", cls, x).attrInt("axis", 1).output();
        x = b.g.node("Add", x, b.random("visual.positional_embedding", c.tokens(), w)).output();
        x = b.layerNorm(x, "visual.ln_pre");
        for (int i = 0; i < c.layers(); i++) {
            x = b.residualBlock(x, "visual.transformer.resblocks." + i, null);
        }
        if (hf) {
            b.g.node("Identity", x).outputs("last_hidden_state");
        }
        String first = b.g.int64s(CONSTANT_PREFIX + "zero", new long[0], 0);
        String pooled = b.g.node("Gather", x, first).attrInt("axis", 1).output();
        String gamma = b.g.floats("visual.ln_post.weight", new long[] {w}, i -> 1f);
        String beta = b.g.floats("visual.ln_post.bias", new long[] {w}, i -> 0f);
        pooled = b.layerNorm(pooled, gamma, beta);
        String proj = b.random("visual.proj", w, c.embedDim());
        b.g.node("MatMul", pooled, proj).outputs(layout.imageOutput);
        b.g.output(layout.imageOutput, ElementType.FLOAT, "batch_size", c.embedDim());
        if (hf) {
            b.g.output("last_hidden_state", ElementType.FLOAT, "batch_size", c.tokens(), w);
        }
        if (tokenEmbeds) {
            // ln_post(x) @ proj for every token, as docs/models.md exports it
            b.g.node("MatMul", b.layerNorm(x, gamma, beta), proj).outputs("token_embeds");
            b.g.output("token_embeds", ElementType.FLOAT, "batch_size", c.tokens(), c.embedDim());
        }
        return b.g;
    }

    /**
     * Builds (without computing any weight) the text encoder graph.
     *
     * @param c architecture
     * @param layout naming convention
     * @param seed weight seed
     * @return the graph, ready to write
     */
    public static OnnxModelWriter textualGraph(TextConfig c, Layout layout, long seed) {
        Builder b = new Builder("clip_textual", seed, c.width(), c.heads());
        b.g.docString("Random-weight CLIP " + c.name() + " text encoder for benchmarks (not trained). Generated by "
                + FullClipModels.class.getName() + ", seed " + seed + ".");
        boolean hf = layout == Layout.HF;
        int w = c.width();
        int ctx = c.contextLength();
        Object length = hf ? "sequence_length" : (Object) ctx;
        String ids = b.g.input(layout.idsInput, ElementType.INT64, "batch_size", length);
        String mask = hf ? b.g.input(layout.maskInput, ElementType.INT64, "batch_size", length) : null;

        String x = b.g.node("Gather", b.random("token_embedding.weight", c.vocabSize(), w), ids).attrInt("axis", 0)
                .output();
        String positional = b.random("positional_embedding", ctx, w);
        String causal = b.g.floats(CONSTANT_PREFIX + "causal_mask", new long[] {ctx, ctx},
                i -> i % ctx > i / ctx ? Float.NEGATIVE_INFINITY : 0f);
        String attnBias = causal;
        if (hf) {
            String seqLen = b.g.node("Shape", ids).attrInt("start", 1).attrInt("end", 2).output();
            String zero = b.longs("zero_1", 0);
            positional = b.g.node("Slice", positional, zero, seqLen, zero).output();
            String ends = b.g.node("Concat", seqLen, seqLen).attrInt("axis", 0).output();
            attnBias = b.g.node("Slice", causal, b.longs("zero_2", 0, 0), ends, b.longs("axes_01", 0, 1)).output();
            // padding keys get a large negative bias, as HF CLIP adds its expanded attention mask
            String keep = b.g.node("Cast", mask).attrInt("to", ElementType.FLOAT.code()).output();
            keep = b.g.node("Unsqueeze", keep, b.longs("axes_12", 1, 2)).output();
            String dropped = b.g.node("Sub", keep, b.scalar("one", 1f)).output();
            String padBias = b.g.node("Mul", dropped, b.scalar("big", 1e9f)).output();
            attnBias = b.g.node("Add", attnBias, padBias).output();
        }
        x = b.g.node("Add", x, positional).output();
        for (int i = 0; i < c.layers(); i++) {
            x = b.residualBlock(x, "transformer.resblocks." + i, attnBias);
        }
        x = b.layerNorm(x, "ln_final");
        if (hf) {
            b.g.node("Identity", x).outputs("last_hidden_state");
        }
        String eot = b.g.node("ArgMax", ids).attrInt("axis", 1).attrInt("keepdims", 1).output();
        String pooled = b.g.node("GatherND", x, eot).attrInt("batch_dims", 1).output();
        b.g.node("MatMul", pooled, b.random("text_projection", w, c.embedDim())).outputs(layout.textOutput);
        b.g.output(layout.textOutput, ElementType.FLOAT, "batch_size", c.embedDim());
        if (hf) {
            b.g.output("last_hidden_state", ElementType.FLOAT, "batch_size", "sequence_length", w);
        }
        return b.g;
    }

    /** Graph-building helpers shared by both encoders. */
    private static final class Builder {
        final OnnxModelWriter g;
        final long seed;
        final int width;
        final int heads;
        int tensorIndex;
        String splitHeads;
        String mergeHeads;
        String attnScale;
        String geluScale;

        Builder(String name, long seed, int width, int heads) {
            this.g = new OnnxModelWriter(name);
            this.seed = seed;
            this.width = width;
            this.heads = heads;
        }

        String random(String name, long... dims) {
            long tensorSeed = mix(seed * 0x9E3779B97F4A7C15L + ++tensorIndex);
            FloatSource normal = i -> {
                long z = mix(tensorSeed + i * 0xD1B54A32D192ED03L);
                // Irwin–Hall: four 16-bit uniforms, mean 2, variance 1/3
                double sum = (z & 0xFFFF) + ((z >>> 16) & 0xFFFF) + ((z >>> 32) & 0xFFFF) + (z >>> 48);
                return (float) ((sum / 65536.0 - 2.0) * Math.sqrt(3.0) * WEIGHT_STD);
            };
            return g.floats(name, dims, normal);
        }

        String longs(String name, long... values) {
            return g.int64s(CONSTANT_PREFIX + name, new long[] {values.length}, values);
        }

        String scalar(String name, float value) {
            return g.floats(CONSTANT_PREFIX + name, new long[0], value);
        }

        String layerNorm(String x, String prefix) {
            String gamma = g.floats(prefix + ".weight", new long[] {width}, i -> 1f);
            String beta = g.floats(prefix + ".bias", new long[] {width}, i -> 0f);
            return layerNorm(x, gamma, beta);
        }

        String layerNorm(String x, String gamma, String beta) {
            return g.node("LayerNormalization", x, gamma, beta).attrInt("axis", -1).attrFloat("epsilon", LN_EPSILON)
                    .output();
        }

        String linear(String x, String prefix, int in, int out) {
            String y = g.node("MatMul", x, random(prefix + ".weight_t", in, out)).output();
            return g.node("Add", y, random(prefix + ".bias", out)).output();
        }

        String residualBlock(String x, String prefix, String attnBias) {
            if (splitHeads == null) {
                splitHeads = longs("split_heads", 0, 0, heads, width / heads);
                mergeHeads = longs("merge_heads", 0, 0, width);
                attnScale = scalar("attn_scale", (float) (1.0 / Math.sqrt(width / heads)));
                geluScale = scalar("quick_gelu", 1.702f);
            }
            String h = layerNorm(x, prefix + ".ln_1");
            String qkv = linear(h, prefix + ".attn.in_proj", width, 3 * width);
            OnnxModelWriter.Node split = g.node("Split", qkv).attrInt("axis", -1)
                    .outputs(prefix + ".q", prefix + ".k", prefix + ".v");
            String q = g.node("Mul", split.output(0), attnScale).output();
            q = g.node("Transpose", g.node("Reshape", q, splitHeads).output()).attrInts("perm", 0, 2, 1, 3).output();
            String k = g.node("Reshape", split.output(1), splitHeads).output();
            k = g.node("Transpose", k).attrInts("perm", 0, 2, 3, 1).output();
            String v = g.node("Reshape", split.output(2), splitHeads).output();
            v = g.node("Transpose", v).attrInts("perm", 0, 2, 1, 3).output();
            String scores = g.node("MatMul", q, k).output();
            if (attnBias != null) {
                scores = g.node("Add", scores, attnBias).output();
            }
            String weights = g.node("Softmax", scores).attrInt("axis", -1).output();
            String o = g.node("MatMul", weights, v).output();
            o = g.node("Transpose", o).attrInts("perm", 0, 2, 1, 3).output();
            o = g.node("Reshape", o, mergeHeads).output();
            o = linear(o, prefix + ".attn.out_proj", width, width);
            x = g.node("Add", x, o).output();

            h = layerNorm(x, prefix + ".ln_2");
            String m = linear(h, prefix + ".mlp.c_fc", width, 4 * width);
            String gate = g.node("Sigmoid", g.node("Mul", m, geluScale).output()).output();
            m = g.node("Mul", m, gate).output();
            m = linear(m, prefix + ".mlp.c_proj", 4 * width, width);
            return g.node("Add", x, m).output();
        }

        static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
