package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.onnx.bundle.FakeHub;
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
