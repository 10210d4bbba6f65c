package io.github.pointclip.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import io.github.pointclip.encoder.DenseFeaturesUnavailableException;
import io.github.pointclip.encoder.ImageEncoder;
import io.github.pointclip.encoder.ModelRunException;
import io.github.pointclip.onnx.internal.CauseMessages;
import io.github.pointclip.onnx.internal.OnnxGraph;
import io.github.pointclip.onnx.internal.ProjectionHead;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CLIP image encoder on an ONNX Runtime session: float32 [N, 3, S, S] in, [N, D] features out. A model
 * whose input or output is float16 (a {@code fp16} export) is fed and read in half precision: pixels are
 * rounded to the nearest float16 at the boundary and features widened back to float32.
 *
 * <p>Dense features ({@link #encodeTokens}) come from the model's {@value #TOKEN_EMBEDS} output
 * [N, 1 + g², D] when it has one. Otherwise, from a Hugging Face export's {@value #LAST_HIDDEN_STATE}
 * [N, 1 + g², H], through the final layer norm and projection found in the model file itself
 * ({@link ProjectionHead}: the weights that turn the class token into the image embedding, applied to
 * every token). Which of the two is used, and the grid g, are settled on the first call of
 * {@link #patchGridSize()} or {@link #encodeTokens}; classification never looks.
 * Runs at most {@code batchSize} images per session run. Thread-safe (ONNX Runtime sessions
 * may be run concurrently); closing waits for the calls in flight, then releases the session,
 * and later calls fail with {@link IllegalStateException}.
 */
public final class OnnxImageEncoder implements ImageEncoder {

    /** The output with every token after the final layer norm and projection. */
    public static final String TOKEN_EMBEDS = "token_embeds";
    /** The Hugging Face output with every token before the final layer norm and projection. */
    public static final String LAST_HIDDEN_STATE = "last_hidden_state";

    private static final Logger LOG = LoggerFactory.getLogger(OnnxImageEncoder.class);
    private static final String HOW_TO_EXPORT = "export the image model with a 'token_embeds' output "
        + "(every token after the final layer norm and projection; see docs/models.md, 'Dense features')";

    /**
     * What the loaded model offers for dense features, from its signature.
     *
     * @param tokenOutput the {@value #TOKEN_EMBEDS} output's name, or null
     * @param hiddenOutput the {@value #LAST_HIDDEN_STATE} output's name, or null
     * @param tokens the token count (dimension 1) of the output that will be used, or -1 when symbolic
     * @param outputs the model's outputs, for messages
     */
    record DenseOutputs(String tokenOutput, String hiddenOutput, long tokens, String outputs) {
    }

    /** The settled way to dense features: an output to read, maybe a head to apply, the grid; or why not. */
    private static final class Dense {
        final String output;
        final ProjectionHead head;
        /** The session running {@link #head}, or null. */
        final SessionFactory.Opened headSession;
        final int grid;
        final int tokens;
        final String unavailable;

        Dense(String output, ProjectionHead head, SessionFactory.Opened headSession, int grid) {
            this.output = output;
            this.head = head;
            this.headSession = headSession;
            this.grid = grid;
            this.tokens = 1 + grid * grid;
            this.unavailable = null;
        }

        Dense(String unavailable) {
            this.output = null;
            this.head = null;
            this.headSession = null;
            this.grid = 0;
            this.tokens = 0;
            this.unavailable = unavailable;
        }
    }

    private final SessionFactory.Opened opened;
    private final String inputName;
    private final String outputName;
    private final int imageSize;
    private final int dim;
    private final int batchSize;
    private final boolean halfInput;
    private final DenseOutputs denseOutputs;
    private final SessionFactory sessions;
    private final Object denseLock = new Object();
    private volatile Dense dense;

    OnnxImageEncoder(SessionFactory.Opened opened, String inputName, String outputName, int imageSize, int dim,
                     int batchSize, boolean halfInput, DenseOutputs denseOutputs, SessionFactory sessions) {
        this.denseOutputs = denseOutputs;
        this.sessions = sessions;
        this.opened = opened;
        this.inputName = inputName;
        this.outputName = outputName;
        this.imageSize = imageSize;
        this.dim = dim;
        this.batchSize = batchSize;
        this.halfInput = halfInput;
    }

    @Override
    public int embeddingDim() {
        return dim;
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    /** @return where the session runs, {@code cpu} or {@code cuda:N} */
    public String device() {
        return opened.device;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the encoder is closed
     * @throws ModelRunException when ONNX Runtime fails or the output is malformed (one line naming
     *     the model file; its exception is the cause)
     */
    @Override
    public float[] encode(float[] pixels, int count) {
        opened.enter("image encoder");
        try {
            return encodeBatches(pixels, count);
        } finally {
            opened.exit();
        }
    }

    private float[] encodeBatches(float[] pixels, int count) {
        int per = 3 * imageSize * imageSize;
        if (count < 0 || pixels.length < (long) count * per) {
            throw new IllegalArgumentException(count + " images of 3x" + imageSize + "x" + imageSize + " need "
                + (long) count * per + " floats, got " + pixels.length);
        }
        float[] out = new float[count * dim];
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            try (OnnxTensor tensor = input(pixels, start, n);
                 OrtSession.Result result = opened.session.run(Map.of(inputName, tensor), java.util.Set.of(outputName))) {
                copyFeatures(opened, result, outputName, n, dim, out, start * dim);
            } catch (OrtException e) {
                throw runFailed(opened, "image encoder", n, e);
            }
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The first call settles where the tokens come from: the {@value #TOKEN_EMBEDS} output, or
     * {@value #LAST_HIDDEN_STATE} and the head found in the model file (reading the file's graph), and
     * when the model declares no fixed token count, runs the model once on a blank image to see it.
     *
     * @throws IllegalStateException when the encoder is closed
     * @throws ModelRunException when ONNX Runtime fails on that first run
     */
    @Override
    public int patchGridSize() {
        return dense().grid;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the encoder is closed
     * @throws ModelRunException when ONNX Runtime fails or the output is malformed (one line naming
     *     the model file)
     */
    @Override
    public float[] encodeTokens(float[] pixels, int count) {
        Dense d = dense();
        if (d.unavailable != null) {
            throw new DenseFeaturesUnavailableException(d.unavailable);
        }
        int per = 3 * imageSize * imageSize;
        if (count < 0 || pixels.length < (long) count * per) {
            throw new IllegalArgumentException(count + " images of 3x" + imageSize + "x" + imageSize + " need "
                + (long) count * per + " floats, got " + pixels.length);
        }
        int rowWidth = d.head == null ? dim : d.head.hiddenSize();
        opened.enter("image encoder");
        try {
            float[] out = new float[Math.multiplyExact(Math.multiplyExact(count, d.tokens), dim)];
            for (int start = 0; start < count; start += batchSize) {
                int n = Math.min(batchSize, count - start);
                float[] rows = runTokens(pixels, start, n, d.output, d.tokens, rowWidth);
                if (d.head != null) {
                    rows = runHead(d, rows, n);
                }
                System.arraycopy(rows, 0, out, start * d.tokens * dim, n * d.tokens * dim);
            }
            return out;
        } finally {
            opened.exit();
        }
    }

    /** The input tensor of images {@code start .. start+n-1}, in float16 for a half-precision model. */
    private OnnxTensor input(float[] pixels, int start, int n) throws OrtException {
        int per = 3 * imageSize * imageSize;
        FloatBuffer input = FloatBuffer.wrap(pixels, start * per, n * per).slice();
        long[] shape = {n, 3, imageSize, imageSize};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        return halfInput
            ? OnnxTensor.createTensor(env, Fp16Conversions.convertFloatBufferToFp16Buffer(input), shape, OnnxJavaType.FLOAT16)
            : OnnxTensor.createTensor(env, input, shape);
    }

    /** Runs {@code n} images from {@code start} and returns output {@code name} [n, tokens, width] (tokens -1: any). */
    private float[] runTokens(float[] pixels, int start, int n, String name, int tokens, int width) {
        try (OnnxTensor tensor = input(pixels, start, n);
             OrtSession.Result result = opened.session.run(Map.of(inputName, tensor), java.util.Set.of(name))) {
            Optional<OnnxValue> value = result.get(name);
            if (value.isEmpty() || !(value.get() instanceof OnnxTensor)) {
                throw new ModelRunException(opened.model + ": model output '" + name + "' missing or not a tensor", null);
            }
            OnnxTensor t = (OnnxTensor) value.get();
            long[] actual = t.getInfo().getShape();
            if (actual.length != 3 || actual[0] != n || (tokens >= 0 && actual[1] != tokens)
                    || (width >= 0 && actual[2] != width)) {
                throw new ModelRunException(opened.model + ": model output '" + name + "' has shape "
                    + java.util.Arrays.toString(actual) + ", expected [" + n + ", " + (tokens >= 0 ? tokens : "tokens")
                    + ", " + (width >= 0 ? width : "width") + "]", null);
            }
            int size = Math.toIntExact(actual[0] * actual[1] * actual[2]);
            float[] out = new float[size];
            if (t.getInfo().type == OnnxJavaType.FLOAT16) {
                ShortBuffer half = t.getShortBuffer();
                for (int i = 0; i < size; i++) {
                    out[i] = Fp16Conversions.fp16ToFloat(half.get(i));
                }
            } else if (t.getInfo().type == OnnxJavaType.FLOAT) {
                t.getFloatBuffer().get(out);
            } else {
                throw new ModelRunException(opened.model + ": model output '" + name + "' is " + t.getInfo().type
                    + ", expected float32 or float16", null);
            }
            return out;
        } catch (OrtException e) {
            throw runFailed(opened, "image encoder", n, e);
        }
    }

    /** Runs the head session on hidden states [n, tokens, H]; returns [n, tokens, D]. */
    private float[] runHead(Dense d, float[] hidden, int n) {
        d.headSession.enter("image encoder");
        long[] shape = {n, d.tokens, d.head.hiddenSize()};
        try (OnnxTensor tensor = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(hidden), shape);
             OrtSession.Result result = d.headSession.session.run(Map.of(ProjectionHead.INPUT, tensor))) {
            float[] out = new float[n * d.tokens * dim];
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(out);
            return out;
        } catch (OrtException e) {
            throw runFailed(d.headSession, "the projection head of '" + d.output + "'", n, e);
        } finally {
            d.headSession.exit();
        }
    }

    private Dense dense() {
        Dense d = dense;
        if (d == null) {
            synchronized (denseLock) {
                d = dense;
                if (d == null) {
                    opened.enter("image encoder");
                    try {
                        d = settleDense();
                        // published before exit(): a close() waiting for this call then sees the head session
                        dense = d;
                    } finally {
                        opened.exit();
                    }
                }
            }
        }
        return d;
    }

    private Dense settleDense() {
        String model = opened.model.toString();
        DenseOutputs o = denseOutputs;
        if (o.tokenOutput() != null) {
            return withGrid(o.tokenOutput(), null, dim);
        }
        if (o.hiddenOutput() == null) {
            return new Dense(model + ": the image model has no '" + TOKEN_EMBEDS + "' output, which part segmentation "
                + "needs (its outputs: " + o.outputs() + "); " + HOW_TO_EXPORT);
        }
        ProjectionHead head;
        try {
            head = ProjectionHead.find(OnnxGraph.read(opened.model), outputName, o.hiddenOutput());
        } catch (IOException e) {
            return new Dense(model + ": the image model has no '" + TOKEN_EMBEDS + "' output, and its '"
                + o.hiddenOutput() + "' cannot stand in for it: " + CauseMessages.of(e) + "; " + HOW_TO_EXPORT);
        }
        if (head.embeddingDim() != dim) {
            return new Dense(model + ": the head found after '" + o.hiddenOutput() + "' projects to " + head.embeddingDim()
                + " dimensions, but the image embeddings have " + dim + "; " + HOW_TO_EXPORT);
        }
        LOG.debug("{}: dense features from '{}' through the model's own final layer norm (eps {}) and {}x{} projection",
            opened.model.getFileName(), o.hiddenOutput(), head.epsilon(), head.hiddenSize(), head.embeddingDim());
        return withGrid(o.hiddenOutput(), head, head.hiddenSize());
    }

    private Dense withGrid(String output, ProjectionHead head, int width) {
        Dense d = withGridOnly(output, head, width);
        if (d.unavailable != null || head == null) {
            return d;
        }
        try {
            return new Dense(output, head, sessions.open(head.onnxModel(), opened.model), d.grid);
        } catch (OrtException e) {
            throw new ModelRunException(opened.model + ": cannot run the projection head taken from the model: "
                + CauseMessages.of(e), e);
        }
    }

    private Dense withGridOnly(String output, ProjectionHead head, int width) {
        long tokens = denseOutputs.tokens();
        if (tokens < 0) {
            // symbolic token count: look at one blank image's output
            tokens = runTokens(new float[3 * imageSize * imageSize], 0, 1, output, -1, width).length / width;
        }
        int grid = (int) Math.round(Math.sqrt(tokens - 1));
        if (tokens < 2 || (long) grid * grid != tokens - 1) {
            return new Dense(opened.model + ": output '" + output + "' has " + tokens + " tokens per image, which is "
                + "not 1 class token + a square grid of patches (1 + g²); it cannot give dense features");
        }
        return new Dense(output, head, null, grid);
    }

    /** The one-line error of a failed session run: the model file, the batch and ONNX Runtime's reason. */
    static ModelRunException runFailed(SessionFactory.Opened opened, String what, int n, OrtException e) {
        return new ModelRunException(opened.model + ": " + what + " failed on a batch of " + n + ": "
            + CauseMessages.of(e), e);
    }

    /** Copies a [n, dim] float32 or float16 output into {@code out} (widened to float32) before the result closes. */
    static void copyFeatures(SessionFactory.Opened opened, OrtSession.Result result, String name, int n, int dim,
        float[] out, int offset) {
        Optional<OnnxValue> value = result.get(name);
        if (value.isEmpty() || !(value.get() instanceof OnnxTensor)) {
            throw new ModelRunException(opened.model + ": model output '" + name + "' missing or not a tensor", null);
        }
        OnnxTensor tensor = (OnnxTensor) value.get();
        long[] shape = tensor.getInfo().getShape();
        if (shape.length != 2 || shape[0] != n || shape[1] != dim) {
            throw new ModelRunException(opened.model + ": model output '" + name + "' has shape "
                + java.util.Arrays.toString(shape) + ", expected [" + n + ", " + dim + "]", null);
        }
        if (tensor.getInfo().type == OnnxJavaType.FLOAT16) {
            ShortBuffer half = tensor.getShortBuffer();
            for (int i = 0; i < n * dim; i++) {
                out[offset + i] = Fp16Conversions.fp16ToFloat(half.get(i));
            }
        } else {
            tensor.getFloatBuffer().get(out, offset, n * dim);
        }
    }

    /**
     * Refuses new calls, waits for the calls in flight to finish, then releases the session.
     * Idempotent.
     */
    @Override
    public void close() {
        opened.close();
        synchronized (denseLock) {
            Dense d = dense;
            if (d != null && d.headSession != null) {
                d.headSession.close();
            }
        }
    }
}
