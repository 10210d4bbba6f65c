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
 * <p>Dense features: both layouts also output {@code token_embeds} [batch, 17, D], a class token
 * and a 4×4 patch grid as a CLIP export with dense features has: token 0 is the image embedding
 * itself, and the token of grid cell (r, c) is its three pooled channel values times
 * W<sub>tok</sub> [3, D]. {@link #huggingFaceDense} writes a Hugging Face-style image model whose
 * dense features must be rebuilt from {@code last_hidden_state} with the layer norm and projection
 * in the file (see there).
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
    /** Tokens of {@code token_embeds}: the class token and the {@value #GRID}×{@value #GRID} patch grid. */
    public static final int TOKENS = 1 + GRID * GRID;
    /** Hidden width H of {@link #huggingFaceDense}'s {@code last_hidden_state}. */
    public static final int HIDDEN = 12;
    /** Layer-norm epsilon of {@link #huggingFaceDense} (CLIP's {@code layer_norm_eps}). */
    public static final float LAYER_NORM_EPS = 1e-5f;
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
         * {@code last_hidden_state} float32 [batch_size, 16, 3], {@code token_embeds} float32
         * [batch_size, 17, 8];
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
         * {@code output} float32 [batch_size, 8], {@code token_embeds} float32 [batch_size, 17, 8];
         * {@code textual.onnx}: {@code input} int64
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
        /** W<sub>tok</sub> [3, D]: a grid cell's pooled channels to its patch token. */
        final float[] tokenProjection;
        /** {@link #huggingFaceDense}: patch embedding [3, H]. */
        final float[] densePatch;
        /** {@link #huggingFaceDense}: class-token embedding of the 48 pooled values [48, H]. */
        final float[] denseClass;
        /** {@link #huggingFaceDense}: positional embedding [17, H]. */
        final float[] densePositional;
        /** {@link #huggingFaceDense}: post-layernorm γ [H], around 1. */
        final float[] denseGamma;
        /** {@link #huggingFaceDense}: post-layernorm β [H]. */
        final float[] denseBeta;
        /** {@link #huggingFaceDense}: visual projection, transposed [H, D]. */
        final float[] denseProjection;

        private Weights(long seed) {
            SplitMix64 random = new SplitMix64(seed);
            imageProjection = random.uniform(POOLED_FEATURES * EMBED_DIM, 0.25f);
            imageBias = random.uniform(EMBED_DIM, 0.1f);
            tokenTable = random.uniform(TABLE_SIZE * EMBED_DIM, 0.25f);
            positional = random.uniform(CONTEXT_LENGTH * EMBED_DIM, 0.1f);
            textProjection = random.uniform(EMBED_DIM * EMBED_DIM, 0.5f);
            // drawn after the weights above, so that those keep their values
            tokenProjection = random.uniform(3 * EMBED_DIM, 0.5f);
            densePatch = random.uniform(3 * HIDDEN, 1f);
            denseClass = random.uniform(POOLED_FEATURES * HIDDEN, 0.5f);
            densePositional = random.uniform(TOKENS * HIDDEN, 0.5f);
            denseGamma = random.uniform(HIDDEN, 0.5f);
            for (int i = 0; i < HIDDEN; i++) {
                denseGamma[i] += 1f;
            }
            denseBeta = random.uniform(HIDDEN, 0.2f);
            denseProjection = random.uniform(HIDDEN * EMBED_DIM, 0.5f);
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
     * Writes the models with {@link #SEED} and puts the CLIP BPE vocabulary of the shared test data
     * beside the OpenAI-layout pair: a complete model bundle, as the command-line tests use it.
     *
     * @param dir target directory (the {@code tiny-clip} directory itself)
     * @return the OpenAI-layout bundle, {@code dir/openai}
     * @throws IOException if writing fails; without the shared data the calling test is skipped, or
     *     fails under CI, as {@link io.github.pointclip.testing.SharedData#require} does
     */
    public static Path writeOpenAiBundle(Path dir) throws IOException {
        writeAll(dir, SEED);
        Path bundle = dir.resolve("openai");
        java.nio.file.Files.copy(io.github.pointclip.testing.SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"),
            bundle.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return bundle;
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
        files.put("onnx/vision_model_fp16.onnx", visual(Layout.HF, weights, true, true).toByteArray());
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

    /** Pooled channel means [batch][48], channel-major (c, row, col), in double. */
    private static double[][] pool(float[] pixels, int batch) {
        int plane = IMAGE_SIZE * IMAGE_SIZE;
        if (pixels.length != batch * 3 * plane) {
            throw new IllegalArgumentException(pixels.length + " pixels for a batch of " + batch);
        }
        double[][] pooled = new double[batch][POOLED_FEATURES];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < IMAGE_SIZE; y++) {
                    for (int x = 0; x < IMAGE_SIZE; x++) {
                        int cell = c * GRID * GRID + (y / POOL) * GRID + x / POOL;
                        pooled[b][cell] += pixels[(b * 3 + c) * plane + y * IMAGE_SIZE + x];
                    }
                }
            }
            for (int k = 0; k < POOLED_FEATURES; k++) {
                pooled[b][k] /= POOL * POOL;
            }
        }
        return pooled;
    }

    /**
     * The {@code token_embeds} of the committed models, in double precision from the weights: token 0
     * is the image embedding, token 1 + r·4 + c the pooled channels of grid cell (r, c) times
     * W<sub>tok</sub>.
     *
     * @param pixels [batch, 3, 224, 224] row-major
     * @param batch number of images
     * @param seed weight seed
     * @return [batch][17][D]
     */
    public static float[][][] expectedTokenEmbeddings(float[] pixels, int batch, long seed) {
        Weights w = Weights.generate(seed);
        float[][] image = expectedImageEmbeddings(pixels, batch, seed);
        double[][] pooled = pool(pixels, batch);
        float[][][] out = new float[batch][TOKENS][];
        for (int b = 0; b < batch; b++) {
            out[b][0] = image[b];
            for (int cell = 0; cell < GRID * GRID; cell++) {
                float[] token = new float[EMBED_DIM];
                for (int d = 0; d < EMBED_DIM; d++) {
                    double sum = 0;
                    for (int c = 0; c < 3; c++) {
                        sum += pooled[b][c * GRID * GRID + cell] * w.tokenProjection[c * EMBED_DIM + d];
                    }
                    token[d] = (float) sum;
                }
                out[b][1 + cell] = token;
            }
        }
        return out;
    }

    /**
     * The {@code last_hidden_state} of {@link #huggingFaceDense}, in double precision from the weights.
     *
     * @param pixels [batch, 3, 224, 224] row-major
     * @param batch number of images
     * @param seed weight seed
     * @return [batch][17][H]
     */
    public static double[][][] expectedHiddenStates(float[] pixels, int batch, long seed) {
        Weights w = Weights.generate(seed);
        double[][] pooled = pool(pixels, batch);
        double[][][] out = new double[batch][TOKENS][HIDDEN];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < HIDDEN; h++) {
                double cls = 0;
                for (int k = 0; k < POOLED_FEATURES; k++) {
                    cls += pooled[b][k] * w.denseClass[k * HIDDEN + h];
                }
                out[b][0][h] = cls + w.densePositional[h];
                for (int cell = 0; cell < GRID * GRID; cell++) {
                    double v = 0;
                    for (int c = 0; c < 3; c++) {
                        v += pooled[b][c * GRID * GRID + cell] * w.densePatch[c * HIDDEN + h];
                    }
                    out[b][1 + cell][h] = v + w.densePositional[(1 + cell) * HIDDEN + h];
                }
            }
        }
        return out;
    }

    /**
     * The {@code token_embeds} of {@link #huggingFaceDense}: every token of
     * {@link #expectedHiddenStates} through the layer norm (biased variance, ε
     * {@value #LAYER_NORM_EPS}, γ, β) and the projection, in double. Its token 0 is the model's
     * {@code image_embeds}.
     *
     * @param pixels [batch, 3, 224, 224] row-major
     * @param batch number of images
     * @param seed weight seed
     * @return [batch][17][D]
     */
    public static double[][][] expectedHuggingFaceTokens(float[] pixels, int batch, long seed) {
        Weights w = Weights.generate(seed);
        double[][][] hidden = expectedHiddenStates(pixels, batch, seed);
        double[][][] out = new double[batch][TOKENS][EMBED_DIM];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < TOKENS; t++) {
                double[] x = hidden[b][t];
                double mean = 0;
                for (double v : x) {
                    mean += v;
                }
                mean /= HIDDEN;
                double var = 0;
                for (double v : x) {
                    var += (v - mean) * (v - mean);
                }
                var /= HIDDEN;
                for (int d = 0; d < EMBED_DIM; d++) {
                    double sum = 0;
                    for (int h = 0; h < HIDDEN; h++) {
                        double normed = (x[h] - mean) / Math.sqrt(var + LAYER_NORM_EPS) * w.denseGamma[h] + w.denseBeta[h];
                        sum += normed * w.denseProjection[h * EMBED_DIM + d];
                    }
                    out[b][t][d] = sum;
                }
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
        return visual(layout, w, false, true);
    }

    /**
     * The image model of a layout, with or without the {@code token_embeds} output; without it, the
     * model is what a classification-only export looks like (no dense features: the OpenAI layout
     * has no other output, the HF layout's {@code last_hidden_state} is not followed by a layer norm
     * and projection).
     *
     * @param layout which layout
     * @param seed weight seed
     * @param tokenEmbeds whether to add {@code token_embeds}
     * @return the model file's content
     */
    public static byte[] visualModel(Layout layout, long seed, boolean tokenEmbeds) {
        return visual(layout, Weights.generate(seed), false, tokenEmbeds).toByteArray();
    }

    /**
     * @param half declare the pixel input and the embedding output float16, cast to and from float32 around
     *     the float32 graph, as a transformers.js {@code fp16} export takes and gives half-precision tensors
     */
    static OnnxModelWriter visual(Layout layout, Weights w, boolean half, boolean tokenEmbeds) {
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
        String embeds = g.node("Add", projected, bias).output();
        if (half) {
            g.node("Cast", embeds).attrInt("to", ElementType.FLOAT16.code()).outputs(layout.imageOutput);
        } else {
            g.node("Identity", embeds).outputs(layout.imageOutput);
        }
        g.output(layout.imageOutput, io, "batch_size", EMBED_DIM);
        // the 16 grid cells with their 3 channels, [batch, 16, 3]
        String cellsShape = g.int64s("cells_shape", new long[] {3}, 0, 3, GRID * GRID);
        String grid = g.node("Reshape", pooled, cellsShape).output();
        String cells = g.node("Transpose", grid).attrInts("perm", 0, 2, 1).output();
        if (layout == Layout.HF) {
            // HF exports also return the token states; here the 16 grid cells with 3 channels
            g.node("Identity", cells).outputs("last_hidden_state");
            g.output("last_hidden_state", ElementType.FLOAT, "batch_size", GRID * GRID, 3);
        }
        if (!tokenEmbeds) {
            return g;
        }
        // dense features: the image embedding as class token, then one token per grid cell
        String tokenProjection = g.floats("token_projection", new long[] {3, EMBED_DIM}, w.tokenProjection);
        String patches = g.node("MatMul", cells, tokenProjection).output();
        String axis1 = g.int64s("axis_1", new long[] {1}, 1);
        String classToken = g.node("Unsqueeze", embeds, axis1).output();
        String tokens = g.node("Concat", classToken, patches).attrInt("axis", 1).output();
        if (half) {
            g.node("Cast", tokens).attrInt("to", ElementType.FLOAT16.code()).outputs("token_embeds");
        } else {
            g.node("Identity", tokens).outputs("token_embeds");
        }
        g.output("token_embeds", io, "batch_size", TOKENS, EMBED_DIM);
        return g;
    }

    /**
     * A Hugging Face-style image model (under {@code onnx/vision_model.onnx} of a bundle, to be
     * paired with the committed {@code hf} text model) built like a transformers CLIP vision
     * model: {@code last_hidden_state} [batch, 17, {@value #HIDDEN}] is the class token (the 48
     * pooled values times [48, H]) and the 16 patch tokens (each cell's 3 channels times [3, H]),
     * plus a positional embedding; {@code image_embeds} [batch, D] = post-layernorm (γ, β, ε
     * {@value #LAYER_NORM_EPS}) of token 0 ({@code Gather} on axis 1), times the projection [H, D].
     * See {@link #expectedHiddenStates} and {@link #expectedHuggingFaceTokens}.
     *
     * @param seed weight seed
     * @param tokenEmbeds also output {@code token_embeds} [batch, 17, D] (the same layer norm and
     *     projection on every token), as the export recipe of docs/models.md does
     * @param decomposedLayerNorm write the layer norms as {@code ReduceMean}, {@code Sub},
     *     {@code Pow}, {@code Add}, {@code Sqrt}, {@code Div}, {@code Mul}, {@code Add}, as
     *     {@code torch.onnx} exports them below opset 17, instead of {@code LayerNormalization}
     * @return the model file's content
     */
    public static byte[] huggingFaceDense(long seed, boolean tokenEmbeds, boolean decomposedLayerNorm) {
        Weights w = Weights.generate(seed);
        OnnxModelWriter g = new OnnxModelWriter("tiny_clip_vision_dense")
                .docString("Tiny Hugging Face-style CLIP vision model for tests (not CLIP): last_hidden_state, "
                        + "post_layernorm and visual_projection. Generated by " + TinyClipModels.class.getName() + ".");
        String pixels = g.input("pixel_values", ElementType.FLOAT, "batch_size", "num_channels", "height", "width");
        String pooled = g.node("AveragePool", pixels)
                .attrInts("kernel_shape", POOL, POOL).attrInts("strides", POOL, POOL).output();
        String flat = g.node("Flatten", pooled).attrInt("axis", 1).output();
        String cellsShape = g.int64s("cells_shape", new long[] {3}, 0, 3, GRID * GRID);
        String cells = g.node("Transpose", g.node("Reshape", pooled, cellsShape).output()).attrInts("perm", 0, 2, 1)
                .output();
        String patches = g.node("MatMul", cells, g.floats("vision_model.embeddings.patch",
                new long[] {3, HIDDEN}, w.densePatch)).output();
        String cls = g.node("MatMul", flat, g.floats("vision_model.embeddings.class",
                new long[] {POOLED_FEATURES, HIDDEN}, w.denseClass)).output();
        String axis1 = g.int64s("axis_1", new long[] {1}, 1);
        cls = g.node("Unsqueeze", cls, axis1).output();
        String hidden = g.node("Concat", cls, patches).attrInt("axis", 1).output();
        hidden = g.node("Add", hidden, g.floats("vision_model.embeddings.position",
                new long[] {TOKENS, HIDDEN}, w.densePositional)).output();
        g.node("Identity", hidden).outputs("last_hidden_state");
        String gamma = g.floats("vision_model.post_layernorm.weight", new long[] {HIDDEN}, w.denseGamma);
        String beta = g.floats("vision_model.post_layernorm.bias", new long[] {HIDDEN}, w.denseBeta);
        String projection = g.floats("visual_projection.weight_t", new long[] {HIDDEN, EMBED_DIM}, w.denseProjection);
        String zero = g.int64s("token_zero", new long[0], 0);
        String first = g.node("Gather", hidden, zero).attrInt("axis", 1).output();
        String pooledNormed = layerNorm(g, first, gamma, beta, decomposedLayerNorm);
        g.node("MatMul", pooledNormed, projection).outputs("image_embeds");
        g.output("image_embeds", ElementType.FLOAT, "batch_size", EMBED_DIM);
        g.output("last_hidden_state", ElementType.FLOAT, "batch_size", TOKENS, HIDDEN);
        if (tokenEmbeds) {
            String all = layerNorm(g, hidden, gamma, beta, decomposedLayerNorm);
            g.node("MatMul", all, projection).outputs("token_embeds");
            g.output("token_embeds", ElementType.FLOAT, "batch_size", TOKENS, EMBED_DIM);
        }
        return g.toByteArray();
    }

    private static String layerNorm(OnnxModelWriter g, String x, String gamma, String beta, boolean decomposed) {
        if (!decomposed) {
            return g.node("LayerNormalization", x, gamma, beta).attrInt("axis", -1)
                    .attrFloat("epsilon", LAYER_NORM_EPS).output();
        }
        String mean = g.node("ReduceMean", x).attrInts("axes", -1).attrInt("keepdims", 1).output();
        String centred = g.node("Sub", x, mean).output();
        String two = scalar(g, "const_two", 2f);
        String squared = g.node("Pow", centred, two).output();
        String variance = g.node("ReduceMean", squared).attrInts("axes", -1).attrInt("keepdims", 1).output();
        String eps = scalar(g, "const_eps", LAYER_NORM_EPS);
        String std = g.node("Sqrt", g.node("Add", variance, eps).output()).output();
        String normed = g.node("Div", centred, std).output();
        return g.node("Add", g.node("Mul", normed, gamma).output(), beta).output();
    }

    /** A float scalar initializer, added once and then reused by name. */
    private static String scalar(OnnxModelWriter g, String name, float value) {
        return g.isDefined(name) ? name : g.floats(name, new long[0], value);
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
