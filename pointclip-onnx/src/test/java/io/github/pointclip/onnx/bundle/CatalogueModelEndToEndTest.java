package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.OnnxClipModel;
import io.github.pointclip.onnx.OnnxClipModelProvider;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.SmallVocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code PointClip.builder().backbone(VIT_B32).dtype("fp16").build()} does below the facade: the provider
 * finds the backbone in the catalogue, downloads the fp16 variant from the hub set by {@code pointclip.hub.url}
 * into the cache set by {@code pointclip.cache}, verifies it and opens it; with {@code pointclip.offline} and
 * the hub gone, the cached model opens again and encodes the same.
 */
class CatalogueModelEndToEndTest {

    private static final String REPO = "Xenova/clip-vit-base-patch32";
    /** transformers' CLIPConfig for the tiny model: ViT-B/32 geometry, 8-d projection, the small test vocabulary (522 ids). */
    private static final byte[] CONFIG = ("{\"projection_dim\": 8, \"vision_config\": {\"hidden_size\": 768, "
        + "\"patch_size\": 32, \"image_size\": 224}, \"text_config\": {\"max_position_embeddings\": 77, \"vocab_size\": 522}}")
        .getBytes(StandardCharsets.UTF_8);

    @AfterEach
    void clear() {
        System.clearProperty(HuggingFaceHub.URL_PROPERTY);
        System.clearProperty(ModelResolver.CACHE_PROPERTY);
        System.clearProperty(ModelResolver.OFFLINE_PROPERTY);
    }

    @Test
    void backboneAndDtypeDownloadOnFirstUseThenWorkOffline(@TempDir Path dir) throws IOException {
        Path vocab = Files.createDirectories(dir.resolve("vocab"));
        SmallVocabulary.writeHuggingFace(vocab);
        float[] first;
        ModelRequest request = ModelRequest.builder().backbone(Backbone.VIT_B32).dtype("fp16").device(Device.CPU)
            .threads(1).build();
        float[] pixels = new float[3 * 224 * 224];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 17) / 8f - 1;
        }
        try (FakeHub hub = new FakeHub()) {
            for (Map.Entry<String, byte[]> f : TinyClipModels.halfPrecisionHuggingFace(TinyClipModels.SEED).entrySet()) {
                hub.lfs(REPO, f.getKey(), f.getValue());
            }
            hub.supportFiles(REPO, CONFIG, Files.readAllBytes(vocab.resolve("vocab.json")),
                Files.readAllBytes(vocab.resolve("merges.txt")));
            System.setProperty(HuggingFaceHub.URL_PROPERTY, hub.base().toString());
            System.setProperty(ModelResolver.CACHE_PROPERTY, dir.resolve("cache").toString());
            try (ClipModel model = new OnnxClipModelProvider().open(request)) {
                assertEquals(Backbone.VIT_B32, model.backbone());
                assertEquals(dir.resolve("cache/models/ViT-B-32-fp16"), ((OnnxClipModel) model).bundle().root());
                first = model.imageEncoder().encode(pixels, 1);
            }
            assertTrue(hub.cdn.totalRequests() >= 2, "the two encoders came from the CDN");
        }
        float[] expected = TinyClipModels.expectedImageEmbeddings(pixels, 1, TinyClipModels.SEED)[0];
        for (int d = 0; d < expected.length; d++) {
            assertEquals(expected[d], first[d], Math.abs(expected[d]) * 0x1p-10 + 2e-3);
        }

        System.setProperty(ModelResolver.OFFLINE_PROPERTY, "true");
        try (ClipModel model = new OnnxClipModelProvider().open(request)) {
            assertArrayEquals(first, model.imageEncoder().encode(pixels, 1));
        }
    }
}
