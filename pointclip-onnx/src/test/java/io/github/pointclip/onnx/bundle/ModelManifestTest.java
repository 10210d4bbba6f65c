package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {

    /** SHA-256 of "abc" (FIPS 180-2 test vector). */
    static final String SHA_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    static final String FULL = """
        {
          "formatVersion": 1,
          "backbone": "ViT-B/16",
          "embeddingDim": 512,
          "imageSize": 224,
          "contextLength": 77,
          "logitScale": 50.5,
          "visual": { "file": "visual.onnx",
                      "input": { "name": "image", "type": "float32", "shape": [-1, 3, 224, 224] },
                      "output": { "name": "image_features", "type": "float32", "shape": [-1, 512] } },
          "textual": { "file": "models/textual.onnx",
                       "inputIds": { "name": "text", "type": "int32", "shape": [-1, 77] },
                       "attentionMask": { "name": "mask", "type": "int64" },
                       "output": { "name": "text_features" } },
          "tokenizer": { "format": "clip-bpe-gz", "files": ["bpe_simple_vocab_16e6.txt.gz"] },
          "sha256": { "visual.onnx": "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD" }
        }
        """;

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsEveryField() throws IOException {
        ModelManifest m = ModelManifest.read(write(FULL));
        assertEquals("ViT-B/16", m.backbone());
        assertEquals(512, m.embeddingDim());
        assertEquals(224, m.imageSize());
        assertEquals(77, m.contextLength());
        assertEquals(50.5, m.logitScale());
        assertEquals("visual.onnx", m.visualFile());
        assertEquals("models/textual.onnx", m.textualFile());
        assertEquals(TensorSpec.of("image", TensorType.FLOAT32, -1, 3, 224, 224), m.imageInput());
        assertEquals(TensorSpec.of("image_features", TensorType.FLOAT32, -1, 512), m.imageOutput());
        assertEquals(TensorSpec.of("text", TensorType.INT32, -1, 77), m.tokenIds());
        assertEquals(TensorSpec.of("mask", TensorType.INT64, (long[]) null), m.attentionMask().orElseThrow());
        assertEquals(TensorSpec.named("text_features"), m.textOutput());
        assertEquals(TokenizerFormat.CLIP_BPE_GZ, m.tokenizerFormat());
        assertEquals(List.of("bpe_simple_vocab_16e6.txt.gz"), m.tokenizerFiles());
        assertEquals(Map.of("visual.onnx", SHA_ABC), m.sha256(), "digests are stored in lower case");
    }

    @Test
    void defaultsForOptionalFields() throws IOException {
        ModelManifest m = ModelManifest.read(write("""
            { "formatVersion": 1, "backbone": "ViT-B/32", "embeddingDim": 768, "imageSize": 336, "contextLength": 77,
              "visual": { "file": "v.onnx" }, "textual": { "file": "t.onnx" },
              "tokenizer": { "format": "vocab-merges", "files": ["vocab.json", "merges.txt"] } }
            """));
        assertEquals(100.0, m.logitScale());
        assertEquals(TensorSpec.of("pixel_values", TensorType.FLOAT32, -1, 3, 336, 336), m.imageInput());
        assertEquals(TensorSpec.of("image_embeds", TensorType.FLOAT32, -1, 768), m.imageOutput());
        assertEquals(TensorSpec.of("input_ids", TensorType.INT64, -1, 77), m.tokenIds());
        assertTrue(m.attentionMask().isEmpty());
        assertTrue(m.sha256().isEmpty());
    }

    @Test
    void writeThenReadGivesTheSameManifest() throws IOException {
        ModelManifest original = ModelManifest.read(write(FULL));
        Path copy = dir.resolve("copy/" + ModelManifest.FILE_NAME);
        original.write(copy);
        assertEquals(original, ModelManifest.read(copy));
        try (var files = Files.list(copy.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    private BundleException failure(String json) {
        return assertThrows(BundleException.class, () -> ModelManifest.read(write(json)));
    }

    private static String replace(String what, String with) {
        assertTrue(FULL.contains(what), what);
        return FULL.replace(what, with);
    }

    @Test
    void errorsNameTheFileAndField() {
        BundleException e = failure(replace("\"embeddingDim\": 512,", ""));
        assertTrue(e.getMessage().startsWith(dir.resolve(ModelManifest.FILE_NAME).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("field 'embeddingDim': required field is missing"), e.getMessage());

        e = failure(replace("\"logitScale\": 50.5,", "\"logitScale\": 50.5, \"logitscale\": 1,"));
        assertTrue(e.getMessage().contains("field 'logitscale': unknown field"), e.getMessage());

        e = failure(replace("\"formatVersion\": 1", "\"formatVersion\": 2"));
        assertTrue(e.getMessage().contains("unsupported format version 2"), e.getMessage());

        e = failure(replace("\"type\": \"int32\"", "\"type\": \"flaot32\""));
        assertTrue(e.getMessage().contains("field 'textual.inputIds.type': unknown tensor type 'flaot32'"), e.getMessage());

        e = failure(replace("[-1, 3, 224, 224]", "[-1, 3, \"224\", 224]"));
        assertTrue(e.getMessage().contains("field 'visual.input.shape[2]': expected an integer"), e.getMessage());

        e = failure(replace("\"embeddingDim\": 512", "\"embeddingDim\": -4"));
        assertTrue(e.getMessage().contains("field 'embeddingDim': expected a positive integer, found -4"), e.getMessage());

        e = failure(replace("\"models/textual.onnx\"", "\"../textual.onnx\""));
        assertTrue(e.getMessage().contains("field 'textual.file'") && e.getMessage().contains("'..'"), e.getMessage());

        e = failure(replace("BA7816BF", "XX7816BF"));
        assertTrue(e.getMessage().contains("field 'sha256.visual.onnx': not a SHA-256 digest"), e.getMessage());

        e = failure(replace("\"clip-bpe-gz\"", "\"sentencepiece\""));
        assertTrue(e.getMessage().contains("field 'tokenizer.format': unknown tokenizer format 'sentencepiece'"),
            e.getMessage());
    }

    @Test
    void shapesMustAgreeWithSizes() {
        BundleException e = failure(replace("[-1, 3, 224, 224]", "[-1, 3, 336, 336]"));
        assertTrue(e.getMessage().contains("visual.input.shape [-1,3,336,336] disagrees"), e.getMessage());
        e = failure(replace("\"shape\": [-1, 512]", "\"shape\": [-1, 768]"));
        assertTrue(e.getMessage().contains("visual.output.shape [-1,768] disagrees"), e.getMessage());
        e = failure(replace("\"shape\": [-1, 77]", "\"shape\": [77]"));
        assertTrue(e.getMessage().contains("textual.inputIds.shape [77] must have 2 dimensions"), e.getMessage());
    }

    @Test
    void tokenizerFileCountMustFitTheFormat() {
        BundleException e = failure(replace("\"clip-bpe-gz\"", "\"vocab-merges\""));
        assertTrue(e.getMessage().contains("tokenizer format vocab-merges has 2 file(s), found 1"), e.getMessage());
    }

    @Test
    void malformedJsonNamesLine() {
        BundleException e = failure("{\n  \"formatVersion\": 1,\n  \"backbone\": \"x\"\n  \"embeddingDim\": 3\n}");
        assertTrue(e.getMessage().contains("malformed JSON: line 4"), e.getMessage());
        e = failure("{\"formatVersion\": 1, \"formatVersion\": 1}");
        assertTrue(e.getMessage().contains("Duplicate field 'formatVersion'"), e.getMessage());
    }

    @Test
    void builderValidates() {
        ModelManifest.Builder b = ModelManifest.builder().embeddingDim(512)
            .tokenizer(TokenizerFormat.TOKENIZER_JSON, List.of("tokenizer.json"));
        assertThrows(IllegalStateException.class, b::build, "backbone is required");
        b.backbone("RN50");
        assertEquals(512, b.build().embeddingDim());
        assertThrows(IllegalArgumentException.class, () -> b.logitScale(0).build());
        assertThrows(IllegalArgumentException.class, () -> ModelManifest.builder().sha256("f", "abc"));
        ModelManifest m = b.logitScale(100).build().toBuilder().imageSize(112).imageInput(null).build();
        assertArrayEquals(new long[] {-1, 3, 112, 112}, m.imageInput().shape(), "default shape follows imageSize");
        assertNull(TensorSpec.named("x").shape());
    }
}
