package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.pointclip.onnx.internal.OrtSignatures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads signatures from real ONNX Runtime sessions on tiny models whose protobuf bytes are written
 * here by hand (field numbers from onnx.proto), so no model file has to be committed.
 */
class OnnxSignatureTest {

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ a minimal protobuf writer

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static byte[] msg(Object... fields) {
        // Pairs of (field number, value): Long -> varint, String -> UTF-8, byte[] -> embedded message.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            int number = (Integer) fields[i];
            Object value = fields[i + 1];
            if (value instanceof Long) {
                varint(out, (long) number << 3);
                varint(out, (Long) value);
            } else {
                byte[] bytes = value instanceof String ? ((String) value).getBytes(StandardCharsets.UTF_8) : (byte[]) value;
                varint(out, ((long) number << 3) | 2);
                varint(out, bytes.length);
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    /** ValueInfoProto with a tensor type; a dimension of -1 becomes the symbolic "batch". */
    private static byte[] tensor(String name, int elemType, long... dims) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        for (long d : dims) {
            shape.writeBytes(msg(1, d < 0 ? msg(2, "batch") : msg(1, d)));
        }
        return msg(1, name, 2, msg(1, msg(1, (long) elemType, 2, shape.toByteArray())));
    }

    /** A text-encoder-shaped model: ids and mask in, ids cast to float out. */
    private static byte[] textModel(String idsName, String outputName) {
        byte[] cast = msg(1, idsName, 2, outputName, 4, "Cast", 5, msg(1, "to", 3, (long) FLOAT, 20, 2L));
        byte[] graph = msg(1, cast, 2, "g",
            11, tensor(idsName, INT64, -1, 77),
            11, tensor("attention_mask", INT64, -1, 77),
            12, tensor(outputName, FLOAT, -1, 77));
        return msg(1, 8L, 7, graph, 8, msg(2, 13L));
    }

    private static ModelSignature read(byte[] model) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model, options)) {
            return OrtSignatures.read(session, null);
        }
    }

    @Test
    void readsNamesTypesAndDynamicDims() throws Exception {
        ModelSignature sig = read(textModel("input_ids", "text_embeds"));
        assertEquals(List.of(TensorSpec.of("input_ids", TensorType.INT64, -1, 77),
            TensorSpec.of("attention_mask", TensorType.INT64, -1, 77)), sig.inputs());
        assertEquals(List.of(TensorSpec.of("text_embeds", TensorType.FLOAT32, -1, 77)), sig.outputs());
    }

    @Test
    void bundleChecksALoadedSession() throws Exception {
        Files.createDirectories(dir.resolve("onnx"));
        Files.write(dir.resolve("onnx/text_model.onnx"), textModel("input_ids", "text_embeds"));
        Files.write(dir.resolve("onnx/vision_model.onnx"), new byte[] {0});
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        ModelBundle bundle = ModelBundle.detect(dir);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(bundle.textualModel().toString(), options)) {
            SignatureBinding binding = bundle.checkTextual(OrtSignatures.read(session, bundle.textualModel()));
            assertEquals("attention_mask", binding.get(TensorRole.ATTENTION_MASK).name());
            assertEquals(TensorType.FLOAT32, binding.get(TensorRole.TEXT_EMBEDDING).type());
        }

        Files.write(bundle.textualModel(), textModel("ids", "features"));
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(bundle.textualModel().toString(), options)) {
            ModelSignatureException e = assertThrows(ModelSignatureException.class, () -> bundle.checkTextual(OrtSignatures.read(session, bundle.textualModel())));
            assertEquals(bundle.textualModel(), e.file());
            assertTrue(e.getMessage().contains("missing input 'input_ids'"), e.getMessage());
            assertTrue(e.getMessage().contains("missing output 'text_embeds'"), e.getMessage());
        }
    }

    @Test
    void corruptModelFailsInOnnxRuntimeNotInTheJvm() {
        assertThrows(OrtException.class, () -> read(new byte[] {8, 1, 0x3a, 5, 1, 2}));
    }
}
