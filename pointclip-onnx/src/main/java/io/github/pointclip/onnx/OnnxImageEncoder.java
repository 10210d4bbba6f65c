package io.github.pointclip.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import io.github.pointclip.encoder.ImageEncoder;
import io.github.pointclip.encoder.ModelRunException;
import io.github.pointclip.onnx.internal.CauseMessages;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Map;
import java.util.Optional;

/**
 * CLIP image encoder on an ONNX Runtime session: float32 [N, 3, S, S] in, [N, D] features out. A model
 * whose input or output is float16 (a {@code fp16} export) is fed and read in half precision: pixels are
 * rounded to the nearest float16 at the boundary and features widened back to float32.
 * Runs at most {@code batchSize} images per session run. Thread-safe (ONNX Runtime sessions
 * may be run concurrently); closing waits for the calls in flight, then releases the session,
 * and later calls fail with {@link IllegalStateException}.
 */
public final class OnnxImageEncoder implements ImageEncoder {

    private final SessionFactory.Opened opened;
    private final String inputName;
    private final String outputName;
    private final int imageSize;
    private final int dim;
    private final int batchSize;
    private final boolean halfInput;

    OnnxImageEncoder(SessionFactory.Opened opened, String inputName, String outputName, int imageSize, int dim,
                     int batchSize, boolean halfInput) {
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
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int start = 0; start < count; start += batchSize) {
            int n = Math.min(batchSize, count - start);
            FloatBuffer input = FloatBuffer.wrap(pixels, start * per, n * per).slice();
            long[] shape = {n, 3, imageSize, imageSize};
            try (OnnxTensor tensor = halfInput
                     ? OnnxTensor.createTensor(env, Fp16Conversions.convertFloatBufferToFp16Buffer(input), shape,
                         OnnxJavaType.FLOAT16)
                     : OnnxTensor.createTensor(env, input, shape);
                 OrtSession.Result result = opened.session.run(Map.of(inputName, tensor), java.util.Set.of(outputName))) {
                copyFeatures(opened, result, outputName, n, dim, out, start * dim);
            } catch (OrtException e) {
                throw runFailed(opened, "image encoder", n, e);
            }
        }
        return out;
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
    }
}
