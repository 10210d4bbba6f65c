package io.github.pointclip.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.pointclip.encoder.TextEncoder;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CLIP text encoder on an ONNX Runtime session: texts are tokenised with the bundle's CLIP BPE
 * vocabulary into [N, 77] ids (int64 or int32, as the model declares), with an attention mask
 * (1 up to and including end-of-text) when the model takes one. Thread-safe; closing waits for
 * the calls in flight, then releases the session, and later calls fail with
 * {@link IllegalStateException}.
 */
public final class OnnxTextEncoder implements TextEncoder {

    private final SessionFactory.Opened opened;
    private final ClipTokenizer tokenizer;
    private final String idsName;
    private final boolean idsAreInt32;
    private final String maskName;
    private final String outputName;
    private final int dim;
    private final int batchSize;
    private final boolean truncate;

    OnnxTextEncoder(SessionFactory.Opened opened, ClipTokenizer tokenizer, String idsName, boolean idsAreInt32,
                    String maskName, String outputName, int dim, int batchSize, boolean truncate) {
        this.opened = opened;
        this.tokenizer = tokenizer;
        this.idsName = idsName;
        this.idsAreInt32 = idsAreInt32;
        this.maskName = maskName;
        this.outputName = outputName;
        this.dim = dim;
        this.batchSize = batchSize;
        this.truncate = truncate;
    }

    @Override
    public int embeddingDim() {
        return dim;
    }

    /** @return the tokenizer */
    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when the encoder is closed
     * @throws io.github.pointclip.encoder.ModelRunException when ONNX Runtime fails or the output is malformed (one line naming
     *     the model file; its exception is the cause)
     */
    @Override
    public float[] encode(List<String> texts) {
        opened.enter("text encoder");
        try {
            return encodeBatches(texts);
        } finally {
            opened.exit();
        }
    }

    private float[] encodeBatches(List<String> texts) {
        int context = tokenizer.contextLength();
        float[] out = new float[texts.size() * dim];
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int start = 0; start < texts.size(); start += batchSize) {
            int n = Math.min(batchSize, texts.size() - start);
            long[] ids = tokenizer.tokenize(texts.subList(start, start + n), truncate);
            long[] shape = {n, context};
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                inputs.put(idsName, idsAreInt32 ? OnnxTensor.createTensor(env, IntBuffer.wrap(toInts(ids)), shape)
                    : OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
                if (maskName != null) {
                    long[] mask = new long[ids.length];
                    for (int r = 0; r < n; r++) {
                        for (int t = 0; t < context; t++) {
                            long id = ids[r * context + t];
                            mask[r * context + t] = 1;
                            if (id == tokenizer.endOfTextId()) {
                                break;
                            }
                        }
                    }
                    inputs.put(maskName, idsAreInt32 ? OnnxTensor.createTensor(env, IntBuffer.wrap(toInts(mask)), shape)
                        : OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
                }
                try (OrtSession.Result result = opened.session.run(inputs, Set.of(outputName))) {
                    OnnxImageEncoder.copyFeatures(opened, result, outputName, n, dim, out, start * dim);
                }
            } catch (OrtException e) {
                throw OnnxImageEncoder.runFailed(opened, "text encoder", n, e);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
        return out;
    }

    private static int[] toInts(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
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
