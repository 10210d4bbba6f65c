package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelSignatureException;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter;
import io.github.pointclip.onnx.testmodels.OnnxModelWriter.ElementType;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import io.github.pointclip.onnx.tokenizer.SmallVocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ONNX Runtime and Jackson failure reaches the user as one line in this library's terms:
 * the file and what is wrong, without C++ source locations or Jackson's "Source: REDACTED", the
 * original exception kept as the cause. The failures are real ones, provoked with small models
 * and broken files.
 */
class OneLineMessagesTest {

    private static final ModelRequest CPU = ModelRequest.builder().device(Device.CPU).threads(1).batchSize(8).build();

    static void assertOneLine(String message, String fileName) {
        assertFalse(message.contains("\n") || message.contains("\r"), "more than one line: " + message);
        assertFalse(message.contains("onnxruntime/core") || message.contains("onnxruntime_src")
            || message.contains("onnxruntime\\core"), "C++ source location: " + message);
        assertFalse(message.contains("onnxruntime::"), "C++ signature: " + message);
        assertFalse(message.contains("REDACTED") || message.contains("Source:"), "Jackson source: " + message);
        assertFalse(message.contains("Error code - ORT_"), "ONNX Runtime error code prefix: " + message);
        assertTrue(message.contains(fileName), "does not name " + fileName + ": " + message);
    }

    /** An OpenAI-layout bundle: the tiny image model, the given text model, the small vocabulary. */
    private static Path openAiBundle(Path dir, OnnxModelWriter textual) throws IOException {
        Files.copy(TinyClipModels.committedModel(TinyClipModels.Layout.OPENAI, true), dir.resolve("visual.onnx"));
        textual.write(dir.resolve("textual.onnx"));
        SmallVocabulary.writeHuggingFace(dir);
        return dir;
    }

    /**
     * ids [N, 77] → Gather from a 10-row table (ids mod 10) → Reshape to [5, -1] → back → sum over
     * tokens: [N, 8]. Loads fine; a batch whose size is not a multiple of 5 fails inside ONNX
     * Runtime with an ORT_ENFORCE message that carries a C++ source location.
     */
    private static OnnxModelWriter textModelFailingOnOddBatches() {
        OnnxModelWriter g = new OnnxModelWriter("fails_unless_batch_multiple_of_5");
        String ids = g.input("input", ElementType.INT64, "batch_size", 77);
        String rows = g.node("Mod", ids, g.int64s("ten", new long[0], 10)).output();
        float[] table = new float[80];
        Arrays.fill(table, 0.5f);
        String embedded = g.node("Gather", g.floats("table", new long[] {10, 8}, table), rows).attrInt("axis", 0).output();
        String five = g.node("Reshape", embedded, g.int64s("five_rows", new long[] {2}, 5, -1)).output();
        String back = g.node("Reshape", five, g.int64s("back", new long[] {3}, -1, 77, 8)).output();
        g.node("ReduceSum", back, g.int64s("tokens", new long[] {1}, 1)).attrInt("keepdims", 0).outputs("output");
        g.output("output", ElementType.FLOAT, "batch_size", 8);
        return g;
    }

    @Test
    void sessionRunFailureNamesTheModelOnOneLine(@TempDir Path dir) throws IOException {
        ModelBundle bundle = ModelBundle.detect(openAiBundle(dir, textModelFailingOnOddBatches()));
        try (OnnxClipModel model = OnnxClipModel.open(bundle, CPU)) {
            assertEquals(5 * 8, model.textEncoder().encode(List.of("a", "b", "c", "d", "e")).length);
            io.github.pointclip.encoder.ModelRunException e = assertThrows(
                io.github.pointclip.encoder.ModelRunException.class, () -> model.textEncoder().encode(List.of("low", "new")));
            assertOneLine(e.getMessage(), "textual.onnx");
            assertTrue(e.getMessage().contains("cannot be reshaped"), e.getMessage());
            OrtException cause = assertInstanceOf(OrtException.class, e.getCause());
            // the original does carry what the user must not see
            assertTrue(cause.getMessage().contains("onnxruntime/core"), cause.getMessage());
        }
    }

    @Test
    void modelThatOnnxRuntimeCannotLoadIsNamedOnOneLine(@TempDir Path dir) throws IOException {
        openAiBundle(dir, textModelFailingOnOddBatches());
        byte[] visual = Files.readAllBytes(dir.resolve("visual.onnx"));
        Files.write(dir.resolve("visual.onnx"), Arrays.copyOf(visual, 200));
        ModelBundle bundle = ModelBundle.detect(dir);
        BundleException e = assertThrows(BundleException.class, () -> OnnxClipModel.open(bundle, CPU));
        assertOneLine(e.getMessage(), "visual.onnx");
        assertInstanceOf(OrtException.class, e.getCause());
    }

    @Test
    void signatureMismatchIsOneLine(@TempDir Path dir) throws IOException {
        ZeroShotEndToEndTest.huggingFaceBundle(dir);
        // an OpenAI-style image model (input 'input', output 'output') where the HF layout expects
        // pixel_values -> image_embeds: three problems
        Files.copy(TinyClipModels.committedModel(TinyClipModels.Layout.OPENAI, true),
            dir.resolve("onnx/vision_model.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ModelBundle bundle = ModelBundle.detect(dir);
        ModelSignatureException e = assertThrows(ModelSignatureException.class, () -> OnnxClipModel.open(bundle, CPU));
        assertTrue(e.problems().size() >= 2, e.problems().toString());
        assertOneLine(e.getMessage(), "vision_model.onnx");
        assertTrue(e.getMessage().contains("image_embeds") && e.getMessage().contains("pixel_values"), e.getMessage());
    }

    @Test
    void malformedJsonFilesAreNamedOnOneLine(@TempDir Path dir) throws IOException {
        // pointclip-model.json cut short: Jackson's own message carries "[Source: REDACTED ...]"
        Path own = Files.createDirectories(dir.resolve("own"));
        Files.writeString(own.resolve("pointclip-model.json"), "{\n  \"format\": 1,\n  \"backbone\": \"ViT-B/32\"\n");
        BundleException manifest = assertThrows(BundleException.class, () -> ModelBundle.detect(own));
        assertOneLine(manifest.getMessage(), "pointclip-model.json");
        assertTrue(manifest.getMessage().contains("line "), manifest.getMessage());

        Path hf = ZeroShotEndToEndTest.huggingFaceBundle(Files.createDirectories(dir.resolve("hf")));
        Files.writeString(hf.resolve("config.json"), "{\"projection_dim\": 512, \"projection_dim\": 512}");
        BundleException config = assertThrows(BundleException.class, () -> ModelBundle.detect(hf));
        assertOneLine(config.getMessage(), "config.json");
        assertTrue(config.getMessage().contains("Duplicate field 'projection_dim'"), config.getMessage());

        Path tokenizerJson = dir.resolve("tokenizer.json");
        Files.writeString(tokenizerJson, "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 1}");
        IOException tok = assertThrows(IOException.class, () -> ClipTokenizer.fromTokenizerJson(tokenizerJson));
        assertOneLine(tok.getMessage(), "tokenizer.json");

        Path vocabJson = dir.resolve("vocab.json");
        Files.write(vocabJson, "{\"a\": 1,\n\"b\": }".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
        IOException vocab = assertThrows(IOException.class,
            () -> ClipTokenizer.fromHuggingFace(vocabJson, dir.resolve("merges.txt")));
        assertOneLine(vocab.getMessage(), "vocab.json");
        assertTrue(vocab.getMessage().contains("vocab.json:2"), vocab.getMessage());
    }
}
