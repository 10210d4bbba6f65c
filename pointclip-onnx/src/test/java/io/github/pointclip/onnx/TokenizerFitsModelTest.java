package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.bundle.BundleException;
import io.github.pointclip.onnx.bundle.BundleLayout;
import io.github.pointclip.onnx.bundle.ModelManifest;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.SmallVocabulary;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tokenizer must have as many ids as the text model's embedding table has rows, where the
 * bundle's config.json declares it (transformers' text_config.vocab_size, open_clip's
 * text_cfg.vocab_size, CLIP's 49408 by default); a vocabulary cut consistently (both halves of a
 * vocab.json/merges.txt pair, or a recompressed BPE file) is caught there.
 */
class TokenizerFitsModelTest {

    private static final ModelRequest CPU = ModelRequest.builder().device(Device.CPU).threads(1).build();

    @Test
    void huggingFaceConfigDeclaresTheVocabularySize(@TempDir Path dir) throws IOException {
        ZeroShotEndToEndTest.huggingFaceBundle(dir); // the small vocabulary: 522 ids
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"clip\", \"projection_dim\": 8, "
            + "\"text_config\": {\"vocab_size\": 522}}");
        try (OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(dir), CPU)) {
            assertEquals(522, model.textEncoder().tokenizer().vocabSize());
        }
        // no vocab_size: transformers' default, CLIP's 49408
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"clip\", \"projection_dim\": 8}");
        ModelBundle bundle = ModelBundle.detect(dir);
        BundleException e = assertThrows(BundleException.class, () -> OnnxClipModel.open(bundle, CPU));
        assertEquals(dir.resolve("vocab.json").toAbsolutePath(), e.file());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("the tokenizer has 522 token ids but the text model's embedding table has "
            + "49408 rows, as declared by config.json (text_config.vocab_size not set: CLIP's default)"), e.getMessage());
    }

    @Test
    void bpeFileCutAndRecompressedIsCaughtByTheOpenClipConfig(@TempDir Path dir) throws IOException {
        Files.copy(TinyClipModels.committedModel(TinyClipModels.Layout.OPENAI, true), dir.resolve("visual.onnx"));
        Files.copy(TinyClipModels.committedModel(TinyClipModels.Layout.OPENAI, false), dir.resolve("textual.onnx"));
        Files.writeString(dir.resolve("config.json"), "{\"embed_dim\": 8, \"text_cfg\": {\"vocab_size\": 522}}");
        Path gz = dir.resolve(ModelBundle.CLIP_BPE_FILE);
        writeBpeGz(gz, List.of(SmallVocabulary.mergeRules()));
        try (OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(dir), CPU)) {
            assertEquals(522, model.textEncoder().tokenizer().vocabSize());
        }
        writeBpeGz(gz, List.of(SmallVocabulary.mergeRules()).subList(0, 5)); // internally consistent, 519 ids
        BundleException e = assertThrows(BundleException.class, () -> OnnxClipModel.open(ModelBundle.detect(dir), CPU));
        assertTrue(e.getMessage().contains(ModelBundle.CLIP_BPE_FILE + ": the tokenizer has 519 token ids but the text "
            + "model's embedding table has 522 rows, as declared by config.json (text_cfg.vocab_size)"), e.getMessage());
    }

    @Test
    void clipBpeFileCutShortWithoutAConfigIsAnError(@TempDir Path dir) throws IOException {
        // an OpenAI split export (no config.json): the vocabulary is CLIP's, 49408 ids
        Files.copy(TinyClipModels.committedModel(TinyClipModels.Layout.OPENAI, true), dir.resolve("visual.onnx"));
        Files.copy(TinyClipModels.committedModel(TinyClipModels.Layout.OPENAI, false), dir.resolve("textual.onnx"));
        Path shared = SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz");
        Path gz = dir.resolve(ModelBundle.CLIP_BPE_FILE);
        Files.copy(shared, gz);
        try (OnnxClipModel model = OnnxClipModel.open(ModelBundle.detect(dir), CPU)) {
            assertEquals(49406, model.textEncoder().tokenizer().startOfTextId());
        }
        List<String> lines;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(shared))) {
            lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
        writeBpeGz(gz, lines.subList(1, 1 + 23_999)); // 512 + 23999 + 2 = 24513 ids; start of text would be 24511
        BundleException e = assertThrows(BundleException.class, () -> OnnxClipModel.open(ModelBundle.detect(dir), CPU));
        assertEquals(gz.toAbsolutePath(), e.file());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("the tokenizer has 24513 token ids but the text model's embedding table has "
            + "49408 rows"), e.getMessage());

        // a PointCLIP bundle as docs/export_clip_onnx.py writes it: a manifest, no config.json
        ModelManifest manifest = ModelBundle.detect(dir).manifest();
        ModelBundle exported = ModelBundle.of(dir, BundleLayout.POINTCLIP, manifest);
        BundleException e2 = assertThrows(BundleException.class, () -> OnnxClipModel.open(exported, CPU));
        assertTrue(e2.getMessage().contains("24513 token ids but the text model's embedding table has 49408 rows"),
            e2.getMessage());
    }

    private static void writeBpeGz(Path file, List<String> merges) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(("test#version: 0.2\n" + String.join("\n", merges)).getBytes(StandardCharsets.UTF_8));
        }
    }
}
