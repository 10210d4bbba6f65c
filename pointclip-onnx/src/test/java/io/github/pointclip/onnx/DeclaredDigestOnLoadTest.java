package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.internal.Sha256;
import io.github.pointclip.onnx.bundle.BundleLayout;
import io.github.pointclip.onnx.bundle.ChecksumMismatchException;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelManifest;
import io.github.pointclip.onnx.bundle.TensorSpec;
import io.github.pointclip.onnx.bundle.TensorType;
import io.github.pointclip.onnx.bundle.TokenizerFormat;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.SmallVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reported failure: a bundle declaring SHA-256 digests whose visual.onnx has flipped bits
 * loaded and classified with wrong logits. Loading now refuses it, naming the file and both
 * digests.
 */
class DeclaredDigestOnLoadTest {

    @Test
    void flippedBitsInADeclaredModelAreRefusedOnLoad(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path visual = dir.resolve("visual.onnx");
        Path textual = dir.resolve("textual.onnx");
        Files.copy(TinyClipModels.committedModel(TinyClipModels.Layout.OPENAI, true), visual);
        Files.copy(TinyClipModels.committedModel(TinyClipModels.Layout.OPENAI, false), textual);
        SmallVocabulary.writeHuggingFace(dir);
        byte[] good = Files.readAllBytes(visual);
        String goodSha = Sha256.hex(Sha256.newDigest().digest(good));
        ModelManifest manifest = ModelManifest.builder().backbone("tiny").embeddingDim(TinyClipModels.EMBED_DIM)
            .visualFile("visual.onnx").textualFile("textual.onnx")
            .imageInput(TensorSpec.of("input", TensorType.FLOAT32, -1, 3, 224, 224))
            .imageOutput(TensorSpec.of("output", TensorType.FLOAT32, -1, TinyClipModels.EMBED_DIM))
            .tokenIds(TensorSpec.of("input", TensorType.INT64, -1, 77))
            .textOutput(TensorSpec.of("output", TensorType.FLOAT32, -1, TinyClipModels.EMBED_DIM))
            .tokenizer(TokenizerFormat.VOCAB_MERGES, List.of("vocab.json", "merges.txt"))
            .sha256("visual.onnx", goodSha)
            .sha256("textual.onnx", Sha256.hex(Sha256.newDigest().digest(Files.readAllBytes(textual))))
            .build();
        ModelBundle bundle = ModelBundle.of(dir, BundleLayout.POINTCLIP, manifest);
        ModelRequest cpu = ModelRequest.builder().device(Device.CPU).threads(1).build();
        String previous = System.getProperty("pointclip.cache");
        System.setProperty("pointclip.cache", cache.toString());
        try {
            try (OnnxClipModel model = OnnxClipModel.open(bundle, cpu)) {
                assertEquals(TinyClipModels.EMBED_DIM, model.imageEncoder().embeddingDim());
            }
            // flip bits in the last weight bytes: ONNX Runtime would load it and compute wrong features
            byte[] bad = good.clone();
            bad[bad.length - 3] ^= 0x5a;
            Files.write(visual, bad);
            Files.setLastModifiedTime(visual, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(visual).toMillis() + 2000));
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> OnnxClipModel.open(bundle, cpu));
            assertEquals(visual.toAbsolutePath(), e.file());
            assertEquals(goodSha, e.expected());
            assertEquals(Sha256.hex(Sha256.newDigest().digest(bad)), e.actual());
            assertTrue(e.getMessage().contains("visual.onnx") && e.getMessage().contains(goodSha)
                && e.getMessage().contains(e.actual()) && !e.getMessage().contains("\n"), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty("pointclip.cache");
            } else {
                System.setProperty("pointclip.cache", previous);
            }
        }
    }
}
