package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.onnx.bundle.FakeHub;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.onnx.tokenizer.SmallVocabulary;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models list} and {@code models download} against a loopback hub; never the internet. */
class ModelsCommandTest {

    private static final String REPO = "Xenova/clip-vit-base-patch32";

    @AfterEach
    void clear() {
        System.clearProperty("pointclip.hub.url");
    }

    private static FakeHub hub() throws IOException {
        FakeHub hub = new FakeHub();
        hub.lfs(REPO, "onnx/vision_model.onnx", "vision".repeat(5000).getBytes(StandardCharsets.US_ASCII));
        hub.lfs(REPO, "onnx/text_model.onnx", "text".repeat(5000).getBytes(StandardCharsets.US_ASCII));
        hub.supportFiles(REPO, "{}".getBytes(StandardCharsets.US_ASCII), "{\"a</w>\": 0}".getBytes(StandardCharsets.US_ASCII),
            "#version: 0.2\n".getBytes(StandardCharsets.US_ASCII));
        return hub;
    }

    @Test
    void listShowsTheCatalogueAndNoStagingFolders(@TempDir Path cache) throws IOException {
        Path part = cache.resolve("models/.ViT-B-16.download/onnx/vision_model.onnx.part");
        Files.createDirectories(part.getParent());
        Files.write(part, new byte[2_000_000]);
        Files.writeString(cache.resolve("models/.ViT-B-16.lock"), "");

        Object[] r = ProjectCommandTest.run("models", "list", "--cache", cache.toString());
        String out = (String) r[1];
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(out.contains("ViT-B/16   fp32   Xenova/clip-vit-base-patch16   no"), out);
        assertTrue(out.contains("ViT-B/32   fp16   Xenova/clip-vit-base-patch32   no"), out);
        assertTrue(out.contains("no model bundles"), out);
        assertTrue(out.contains("1 incomplete download (2.0 MB), resumed by the next download of the same model"), out);
        assertFalse(out.contains(".ViT-B-16"), out);

        // a fresh staging folder may belong to a running download: clean leaves it, and removes a stale one
        Path stale = cache.resolve("models/.ViT-B-32-fp16.download/onnx/text_model_fp16.onnx.part");
        Files.createDirectories(stale.getParent());
        Files.write(stale, new byte[1_000_000]);
        for (Path p : new Path[] {stale, stale.getParent(), stale.getParent().getParent()}) {
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 48 * 3_600_000L));
        }
        r = ProjectCommandTest.run("models", "clean", "--cache", cache.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("removed .ViT-B-32-fp16.download (1.0 MB)"), (String) r[1]);
        assertTrue(((String) r[1]).contains("kept .ViT-B-16.download"), (String) r[1]);
        assertFalse(Files.exists(stale.getParent().getParent()));
        assertTrue(Files.exists(part));
        assertFalse(out.contains(".ViT-B-16"), out);
        assertFalse(out.contains("unusable"), out);
    }

    @Test
    void downloadFetchesACatalogueModelOnceAndListShowsIt(@TempDir Path cache) throws IOException {
        try (FakeHub hub = hub()) {
            System.setProperty("pointclip.hub.url", hub.base().toString());
            Object[] r = ProjectCommandTest.run("models", "download", "VIT_B32", "--cache", cache.toString());
            assertEquals(0, r[0], (String) r[2]);
            Path entry = cache.resolve("models/ViT-B-32");
            assertEquals("ViT-B/32: " + entry + " (downloaded and verified)", ((String) r[1]).strip());
            assertTrue(Files.isRegularFile(entry.resolve("onnx/vision_model.onnx")));
            int requests = hub.requestCount();

            r = ProjectCommandTest.run("models", "download", "ViT-B/32", "--cache", cache.toString());
            assertEquals(0, r[0], (String) r[2]);
            assertTrue(((String) r[1]).contains("(already in the cache)"), (String) r[1]);
            assertEquals(requests, hub.requestCount());

            r = ProjectCommandTest.run("models", "list", "--cache", cache.toString());
            String out = (String) r[1];
            assertTrue(out.matches("(?s).*ViT-B/32   fp32   Xenova/clip-vit-base-patch32   yes, 0\\.1 MB.*"), out);
            assertTrue(out.contains("ViT-B-32") && out.contains("Xenova/clip-vit-base-patch32 fp32 @"
                + FakeHub.COMMIT.substring(0, 12)), out);
        }
    }

    @Test
    void anUnreachableHubIsANetworkErrorWithItsOwnExitCode(@TempDir Path cache) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.setProperty("pointclip.hub.url", "http://127.0.0.1:" + port);
        Object[] r = ProjectCommandTest.run("models", "download", "ViT-B/16", "--cache", cache.toString());
        assertEquals(PointClipCli.EXIT_NETWORK, r[0], (String) r[2]);
        assertTrue(((String) r[2]).contains("network error: connection refused to http://127.0.0.1:" + port
            + "/Xenova/clip-vit-base-patch16/resolve/main/onnx/vision_model.onnx"), (String) r[2]);
        assertFalse(Files.exists(cache.resolve("models/ViT-B-16")));
    }

    @Test
    void classifyWithABackboneDownloadsTheCatalogueModelWithAProgressBar(@TempDir Path cache, @TempDir Path vocab)
            throws IOException {
        SmallVocabulary.writeHuggingFace(vocab);
        try (FakeHub hub = new FakeHub()) {
            var tiny = TinyClipModels.models(TinyClipModels.SEED);
            hub.lfs(REPO, "onnx/vision_model.onnx", tiny.get("hf/onnx/vision_model.onnx"));
            hub.lfs(REPO, "onnx/text_model.onnx", tiny.get("hf/onnx/text_model.onnx"));
            hub.supportFiles(REPO, ("{\"projection_dim\": 8, \"vision_config\": {\"hidden_size\": 768, \"patch_size\": 32}, "
                + "\"text_config\": {\"vocab_size\": 522}}")
                .getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(vocab.resolve("vocab.json")),
                Files.readAllBytes(vocab.resolve("merges.txt")));
            System.setProperty("pointclip.hub.url", hub.base().toString());
            System.setProperty("pointclip.cache", cache.toString());
            Path cloud = cache.resolve("cloud.xyz");
            Files.writeString(cloud, "0 0 0\n1 0 0\n0 1 0\n0 0 1\n");
            Object[] r = ProjectCommandTest.run("classify", "--backbone", "ViT-B/32", "--input", cloud.toString(),
                "--labels", "chair,table");
            String err = (String) r[2];
            assertTrue(err.contains("download ["), err);
            assertTrue(Files.isRegularFile(cache.resolve("models/ViT-B-32/pointclip-download.json")), err);
            // the tiny stand-in gives 8-d features, so the facade refuses it as ViT-B/32: proof that it was loaded
            assertEquals(PointClipCli.EXIT_BAD_INPUT, r[0], err);
            assertTrue(err.contains("backbone ViT-B/32 has 512-d features but the model gives 8"), err);

            int requests = hub.requestCount();
            r = ProjectCommandTest.run("classify", "--backbone", "VIT_B32", "--offline", "--input", cloud.toString(),
                "--labels", "chair,table");
            assertTrue(((String) r[2]).contains("but the model gives 8"), (String) r[2]);
            assertEquals(requests, hub.requestCount(), "offline: the cached model, no request");
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void withoutAModelTheErrorSaysHowToGetOne(@TempDir Path cache) throws IOException {
        System.setProperty("pointclip.cache", cache.toString());
        try {
            Path cloud = cache.resolve("cloud.xyz");
            Files.writeString(cloud, "0 0 0\n1 0 0\n0 1 0\n");
            Object[] r = ProjectCommandTest.run("classify", "--backbone", "ViT-B/16", "--offline", "--input", cloud.toString(),
                "--labels", "chair,table");
            String err = (String) r[2];
            assertEquals(PointClipCli.EXIT_BAD_INPUT, r[0], err);
            for (String hint : new String[] {"--backbone", "--model", ".model(Path)", "models download", "docs/models.md",
                "offline mode"}) {
                assertTrue(err.contains(hint), hint + " in " + err);
            }
            assertFalse(err.contains("Builder."), err);
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void badNamesAndDtypesAreBadInput(@TempDir Path cache) {
        Object[] r = ProjectCommandTest.run("models", "download", "ViT-H/14", "--cache", cache.toString());
        assertEquals(PointClipCli.EXIT_BAD_INPUT, r[0]);
        assertTrue(((String) r[2]).contains("'ViT-H/14' is not in the model catalogue (ViT-B/32, ViT-B/16)"), (String) r[2]);
        r = ProjectCommandTest.run("models", "download", "ViT-B/16", "--dtype", "fp8", "--cache", cache.toString());
        assertEquals(PointClipCli.EXIT_BAD_INPUT, r[0]);
        assertTrue(((String) r[2]).contains("unknown dtype 'fp8'; known (as transformers.js names them): fp32, q8, fp16"),
            (String) r[2]);
    }
}
