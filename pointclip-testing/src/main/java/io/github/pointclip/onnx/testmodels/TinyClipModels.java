package io.github.pointclip.onnx.testmodels;

import io.github.pointclip.onnx.testmodels.OnnxModelWriter.ElementType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Generates the tiny CLIP-shaped ONNX models committed under
 * {@code pointclip-onnx/src/test/resources/tiny-clip} and computes, in plain Java, what they output. They have CLIP's input and output signatures
 * (224×224 RGB images, 77-token contexts, CLIP token ids up to 49407) but an embedding dimension
 * of {@value #EMBED_DIM} and a few KB of seeded weights, so tests can run the library's encoders
 * without real CLIP weights and compare against an expectation that owes nothing to ONNX Runtime.
 *
 * <p>Image encoder: average-pool each channel over {@value #POOL}×{@value #POOL} blocks to a
 * 4×4 grid, flatten channel-major to 48 values, multiply by W<sub>img</sub> [48, D] and add
 * b<sub>img</sub> [D]. Not normalised, like CLIP's own image features.
 *
 * <p>Text encoder: h<sub>t</sub> = E[id<sub>t</sub> mod {@value #TABLE_SIZE}] + P[t] (times
 * attention_mask<sub>t</sub> in the Hugging Face layout); pooled = Σ<sub>t ≤ eot</sub>
 * h<sub>t</sub>, where eot is the first position of the largest id (end-of-text 49407, found
 * with ArgMax as CLIP does); output = tanh(pooled) · W<sub>txt</sub> [D, D]. The cumulative sum
 * stands in for causal attention: the pooled feature depends on every token up to the
 * end-of-text one and on nothing after it. Ids are hashed into a 997-row table to keep the files
 * small; the vocabulary is not included (tests supply their own).
 *
 * <p>Both layouts use the same weights, so they must give the same embeddings. Batch dimensions
 * are symbolic. Names, dtypes and shapes are listed in {@link Layout} and in the README next to
 * the models.
 */
public final class TinyClipModels {

    /** Embedding dimension D of both encoders. */
    public static final int EMBED_DIM = 8;
    /** Image side in pixels. */
    public static final int IMAGE_SIZE = 224;
    /** Pooling block side: 224 / 56 = a 4×4 grid per channel. */
    public static final int POOL = 56;
    /** Grid cells per side after pooling. */
    public static final int GRID = IMAGE_SIZE / POOL;
    /** Flattened pooled image features: 3 channels × 4 × 4. */
    public static final int POOLED_FEATURES = 3 * GRID * GRID;
    /** Token context length of the fixed-length (OpenAI) layout and the positional table. */
    public static final int CONTEXT_LENGTH = 77;
    /** Rows of the token table; ids are taken modulo this prime. */
    public static final int TABLE_SIZE = 997;
    /** CLIP's end-of-text token id, the largest id in its vocabulary. */
    public static final long END_OF_TEXT = 49407;
    /** Seed of the committed models' weights. */
    public static final long SEED = 20240607L;
    /** Directory of the committed models, relative to the test class path root. */
    public static final String RESOURCE_DIR = "tiny-clip";

    /**
     * The two public file layouts that the tiny models are written in. Every batch dimension is
     * symbolic.
     */
    public enum Layout {
        /**
         * Hugging Face / transformers.js ({@code optimum} export) style, under {@code hf/}:
         * {@code onnx/vision_model.onnx}: {@code pixel_values} float32
         * [batch_size, num_channels, height, width] → {@code image_embeds} float32 [batch_size, 8],
         * {@code last_hidden_state} float32 [batch_size, 16, 3];
         * {@code onnx/text_model.onnx}: {@code input_ids} int64 [batch_size, sequence_length],
         * {@code attention_mask} int64 [batch_size, sequence_length] → {@code text_embeds} float32
         * [batch_size, 8], {@code last_hidden_state} float32 [batch_size, sequence_length, 8].
         * sequence_length may be anything up to 77; height and width must be 224.
         */
        HF("hf", "onnx/vision_model.onnx", "onnx/text_model.onnx", "pixel_values", "image_embeds",
                "input_ids", "attention_mask", "text_embeds"),
        /**
         * OpenAI-CLIP split export style ({@code torch.onnx.export(model.visual, ...,
         * input_names=["input"], output_names=["output"])}, as in Lednik7/CLIP-ONNX), under
         * {@code openai/}: {@code visual.onnx}: {@code input} float32 [batch_size, 3, 224, 224] →
         * {@code output} float32 [batch_size, 8]; {@code textual.onnx}: {@code input} int64
         * [batch_size, 77] → {@code output} float32 [batch_size, 8].
         */
        OPENAI("openai", "visual.onnx", "textual.onnx", "input", "output", "input", null, "output");

        /** Subdirectory of {@link #RESOURCE_DIR} that holds the committed tiny models of this layout. */
        public final String tinyDirectory;
        /** Image model path relative to the model directory. */
        public final String visualPath;
        /** Text model path relative to the model directory. */
        public final String textualPath;
        /** Image input name. */
        public final String pixelInput;
        /** Image embedding output name. */
        public final String imageOutput;
        /** Token id input name. */
        public final String idsInput;
        /** Attention mask input name, or null when the layout has none. */
        public final String maskInput;
        /** Text embedding output name. */
        public final String textOutput;

        Layout(String tinyDirectory, String visualPath, String textualPath, String pixelInput, String imageOutput,
                String idsInput, String maskInput, String textOutput) {
            this.tinyDirectory = tinyDirectory;
            this.visualPath = visualPath;
            this.textualPath = textualPath;
            this.pixelInput = pixelInput;
            this.imageOutput = imageOutput;
            this.idsInput = idsInput;
            this.maskInput = maskInput;
            this.textOutput = textOutput;
        }
    }

    /** The seeded weights, row-major float arrays. */
    public static final class Weights {
        /** W<sub>img</sub> [48, D]. */
        final float[] imageProjection;
        /** b<sub>img</sub> [D]. */
        final float[] imageBias;
        /** E [997, D]. */
        final float[] tokenTable;
        /** P [77, D]. */
        final float[] positional;
        /** W<sub>txt</sub> [D, D]. */
        final float[] textProjection;

        private Weights(long seed) {
            SplitMix64 random = new SplitMix64(seed);
            imageProjection = random.uniform(POOLED_FEATURES * EMBED_DIM, 0.25f);
            imageBias = random.uniform(EMBED_DIM, 0.1f);
            tokenTable = random.uniform(TABLE_SIZE * EMBED_DIM, 0.25f);
            positional = random.uniform(CONTEXT_LENGTH * EMBED_DIM, 0.1f);
            textProjection = random.uniform(EMBED_DIM * EMBED_DIM, 0.5f);
        }

        /**
         * @param seed the seed
         * @return the weights that {@link #models(long)} writes for that seed
         */
        public static Weights generate(long seed) {
            return new Weights(seed);
        }
    }

    private TinyClipModels() {
    }

    /**
     * Writes the models for {@link #SEED} into {@code args[0]} (default:
     * {@code pointclip-onnx/src/test/resources/tiny-clip}, when run from the repository root).
     *
     * @param args optional output directory
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        Path out = Paths.get(args.length > 0 ? args[0] : "pointclip-onnx/src/test/resources/" + RESOURCE_DIR);
        writeAll(out, SEED);
    }

    /**
     * Writes all four model files, each atomically.
     *
     * @param dir target directory (the {@code tiny-clip} directory itself)
     * @param seed weight seed ({@link #SEED} for the committed files)
     * @throws IOException if writing fails
     */
    public static void writeAll(Path dir, long seed) throws IOException {
        for (Map.Entry<String, byte[]> model : models(seed).entrySet()) {
            byte[] bytes = model.getValue();
            OnnxModelWriter.writeAtomically(dir.resolve(model.getKey()), out -> out.write(bytes));
        }
    }

    /**
     * @param seed weight seed
     * @return path relative to the {@code tiny-clip} directory (layout directory, then the
     *     layout's file path) to file content, for both layouts
     */
    public static Map<String, byte[]> models(long seed) {
        Weights weights = Weights.generate(seed);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Layout layout : Layout.values()) {
            files.put(layout.tinyDirectory + "/" + layout.visualPath, visual(layout, weights).toByteArray());
            files.put(layout.tinyDirectory + "/" + layout.textualPath, textual(layout, weights).toByteArray());
        }
        return files;
    }

    /**
     * The Hugging Face layout's {@code fp16} variant (float16 pixel input and embedding outputs), generated rather
     * than committed: path in the bundle ({@code onnx/vision_model_fp16.onnx}, {@code onnx/text_model_fp16.onnx})
     * to file content.
     *
     * @param seed weight seed
     * @return the two files
     */
    public static Map<String, byte[]> halfPrecisionHuggingFace(long seed) {
        Weights weights = Weights.generate(seed);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("onnx/vision_model_fp16.onnx", visual(Layout.HF, weights, true).toByteArray());
        files.put("onnx/text_model_fp16.onnx", textual(Layout.HF, weights, true).toByteArray());
        return files;
    }

    /**
     * Finds the committed models on the test class path (they are copied to
     * {@code target/test-classes/tiny-clip} by the build).
     *
     * @param layout which layout
     * @param visual true for the image model, false for the text model
     * @return the model file
     */
    public static Path committedModel(Layout layout, boolean visual) {
        return committedDirectory(layout).resolve(visual ? layout.visualPath : layout.textualPath);
    }

    /**
     * Finds the committed model directory of a layout on the test class path, e.g. for tests of
     * layout detection ({@code tiny-clip/hf} holds {@code onnx/vision_model.onnx} and
     * {@code onnx/text_model.onnx}; {@code tiny-clip/openai} holds {@code visual.onnx} and
     * {@code textual.onnx}).
     *
     * @param layout which layout
     * @return the directory
     */
    public static Path committedDirectory(Layout layout) {
        String path = RESOURCE_DIR + "/" + layout.tinyDirectory;
        URL url = TinyClipModels.class.getClassLoader().getResource(path);
        if (url == null) {
            throw new IllegalStateException("test resource not found on the class path: " + path);
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad resource URL " + url, e);
        }
    }

    /**
     * The image embeddings the models compute, in double precision from the weights.
     *
     * @param pixels [batch, 3, 224, 224] row-major (already normalised as the library feeds them)
     * @param batch number of images
     * @param seed weight seed
     * @return [batch][D]
     */
    public static float[][] expectedImageEmbeddings(float[] pixels, int batch, long seed) {
        int plane = IMAGE_SIZE * IMAGE_SIZE;
        if (pixels.length != batch * 3 * plane) {
            throw new IllegalArgumentException(pixels.length + " pixels for a batch of " + batch);
        }
        Weights w = Weights.generate(seed);
        float[][] out = new float[batch][EMBED_DIM];
        for (int b = 0; b < batch; b++) {
            double[] pooled = new double[POOLED_FEATURES];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < IMAGE_SIZE; y++) {
                    for (int x = 0; x < IMAGE_SIZE; x++) {
                        int cell = c * GRID * GRID + (y / POOL) * GRID + x / POOL;
                        pooled[cell] += pixels[(b * 3 + c) * plane + y * IMAGE_SIZE + x];
                    }
                }
            }
            for (int d = 0; d < EMBED_DIM; d++) {
                double sum = w.imageBias[d];
                for (int k = 0; k < POOLED_FEATURES; k++) {
                    sum += pooled[k] / (POOL * POOL) * w.imageProjection[k * EMBED_DIM + d];
                }
                out[b][d] = (float) sum;
            }
        }
        return out;
    }

    /**
     * The text embeddings the models compute, in double precision from the weights.
     *
     * @param ids [batch][length] token ids, length ≤ 77 (exactly 77 for the OpenAI layout)
     * @param mask [batch][length] attention mask for the Hugging Face layout, or null for all ones
     *     (the OpenAI layout)
     * @param seed weight seed
     * @return [batch][D]
     */
    public static float[][] expectedTextEmbeddings(long[][] ids, long[][] mask, long seed) {
        Weights w = Weights.generate(seed);
        float[][] out = new float[ids.length][EMBED_DIM];
        for (int b = 0; b < ids.length; b++) {
            long[] row = ids[b];
            if (row.length == 0 || row.length > CONTEXT_LENGTH) {
                throw new IllegalArgumentException("sequence " + b + " has length " + row.length);
            }
            int eot = 0;
            for (int t = 1; t < row.length; t++) {
                if (row[t] > row[eot]) {
                    eot = t;
                }
            }
            double[] pooled = new double[EMBED_DIM];
            for (int t = 0; t <= eot; t++) {
                double m = mask == null ? 1 : mask[b][t];
                int token = (int) Math.floorMod(row[t], (long) TABLE_SIZE);
                for (int d = 0; d < EMBED_DIM; d++) {
                    // the model adds in float32 before masking; round the same way
                    float h = w.tokenTable[token * EMBED_DIM + d] + w.positional[t * EMBED_DIM + d];
                    pooled[d] += h * m;
                }
            }
            for (int e = 0; e < EMBED_DIM; e++) {
                double sum = 0;
                for (int d = 0; d < EMBED_DIM; d++) {
                    sum += Math.tanh(pooled[d]) * w.textProjection[d * EMBED_DIM + e];
                }
                out[b][e] = (float) sum;
            }
        }
        return out;
    }

    static OnnxModelWriter visual(Layout layout, Weights w) {
        return visual(layout, w, false);
    }

    /**
     * @param half declare the pixel input and the embedding output float16, cast to and from float32 around
     *     the float32 graph, as a transformers.js {@code fp16} export takes and gives half-precision tensors
     */
    static OnnxModelWriter visual(Layout layout, Weights w, boolean half) {
        OnnxModelWriter g = new OnnxModelWriter("tiny_clip_visual")
                .docString("Tiny CLIP-shaped image encoder for tests (not CLIP): 4x4 average pool, linear to "
                        + EMBED_DIM + ". Generated by " + TinyClipModels.class.getName() + ".");
        ElementType io = half ? ElementType.FLOAT16 : ElementType.FLOAT;
        String declared = layout == Layout.HF
                ? g.input(layout.pixelInput, io, "batch_size", "num_channels", "height", "width")
                : g.input(layout.pixelInput, io, "batch_size", 3, IMAGE_SIZE, IMAGE_SIZE);
        String pixels = half ? g.node("Cast", declared).attrInt("to", ElementType.FLOAT.code()).output() : declared;
        String projection = g.floats("image_projection", new long[] {POOLED_FEATURES, EMBED_DIM}, w.imageProjection);
        String bias = g.floats("image_bias", new long[] {EMBED_DIM}, w.imageBias);
        String pooled = g.node("AveragePool", pixels)
                .attrInts("kernel_shape", POOL, POOL).attrInts("strides", POOL, POOL).output();
        String flat = g.node("Flatten", pooled).attrInt("axis", 1).output();
        String projected = g.node("MatMul", flat, projection).output();
        if (half) {
            String sum = g.node("Add", projected, bias).output();
            g.node("Cast", sum).attrInt("to", ElementType.FLOAT16.code()).outputs(layout.imageOutput);
        } else {
            g.node("Add", projected, bias).outputs(layout.imageOutput);
        }
        g.output(layout.imageOutput, io, "batch_size", EMBED_DIM);
        if (layout == Layout.HF) {
            // HF exports also return the token states; here the 16 grid cells with 3 channels
            String cells = g.int64s("cells_shape", new long[] {3}, 0, 3, GRID * GRID);
            String grid = g.node("Reshape", pooled, cells).output();
            g.node("Transpose", grid).attrInts("perm", 0, 2, 1).outputs("last_hidden_state");
            g.output("last_hidden_state", ElementType.FLOAT, "batch_size", GRID * GRID, 3);
        }
        return g;
    }

    static OnnxModelWriter textual(Layout layout, Weights w) {
        return textual(layout, w, false);
    }

    /** @param half declare the embedding output float16 (cast from the float32 graph), as an {@code fp16} export */
    static OnnxModelWriter textual(Layout layout, Weights w, boolean half) {
        OnnxModelWriter g = new OnnxModelWriter("tiny_clip_textual")
                .docString("Tiny CLIP-shaped text encoder for tests (not CLIP): hashed token table, "
                        + "cumulative sum pooled at the end-of-text token, tanh, linear. Generated by "
                        + TinyClipModels.class.getName() + ".");
        boolean hf = layout == Layout.HF;
        Object length = hf ? "sequence_length" : (Object) CONTEXT_LENGTH;
        String ids = g.input(layout.idsInput, ElementType.INT64, "batch_size", length);
        String mask = hf ? g.input(layout.maskInput, ElementType.INT64, "batch_size", length) : null;
        String table = g.floats("token_table", new long[] {TABLE_SIZE, EMBED_DIM}, w.tokenTable);
        String positional = g.floats("positional_embedding", new long[] {CONTEXT_LENGTH, EMBED_DIM}, w.positional);
        String projection = g.floats("text_projection", new long[] {EMBED_DIM, EMBED_DIM}, w.textProjection);
        String tableSize = g.int64s("table_size", new long[0], TABLE_SIZE);
        String sequenceAxis = g.int64s("sequence_axis", new long[0], 1);

        String rows = g.node("Mod", ids, tableSize).output();
        String embedded = g.node("Gather", table, rows).attrInt("axis", 0).output();
        if (hf) {
            // variable length: use the first sequence_length positional rows, as HF CLIP does
            String zero = g.int64s("zero", new long[] {1}, 0);
            String seqLen = g.node("Shape", ids).attrInt("start", 1).attrInt("end", 2).output();
            positional = g.node("Slice", positional, zero, seqLen, zero).output();
        }
        String hidden = g.node("Add", embedded, positional).output();
        if (hf) {
            String maskFloat = g.node("Cast", mask).attrInt("to", ElementType.FLOAT.code()).output();
            String lastAxis = g.int64s("last_axis", new long[] {1}, -1);
            String mask3 = g.node("Unsqueeze", maskFloat, lastAxis).output();
            hidden = g.node("Mul", hidden, mask3).output();
        }
        String cumulative = g.node("CumSum", hidden, sequenceAxis).output();
        String eot = g.node("ArgMax", ids).attrInt("axis", 1).attrInt("keepdims", 1).output();
        String pooled = g.node("GatherND", cumulative, eot).attrInt("batch_dims", 1).output();
        String squashed = g.node("Tanh", pooled).output();
        if (half) {
            String product = g.node("MatMul", squashed, projection).output();
            g.node("Cast", product).attrInt("to", ElementType.FLOAT16.code()).outputs(layout.textOutput);
        } else {
            g.node("MatMul", squashed, projection).outputs(layout.textOutput);
        }
        g.output(layout.textOutput, half ? ElementType.FLOAT16 : ElementType.FLOAT, "batch_size", EMBED_DIM);
        if (hf) {
            g.node("Identity", cumulative).outputs("last_hidden_state");
            g.output("last_hidden_state", ElementType.FLOAT, "batch_size", "sequence_length", EMBED_DIM);
        }
        return g;
    }

    /** SplitMix64 (Steele, Lea and Flood 2014), spelled out so the weights never depend on the JDK. */
    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Values uniform on [-scale, scale), each exactly representable (24 random bits). */
        float[] uniform(int n, float scale) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                float unit = (nextLong() >>> 40) * 0x1.0p-24f;
                values[i] = (2 * unit - 1) * scale;
            }
            return values;
        }
    }
}
