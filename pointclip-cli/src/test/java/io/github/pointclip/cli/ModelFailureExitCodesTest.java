package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub that cannot be reached exits with 3 and says why; a model path that does not exist exits with 2. */
class ModelFailureExitCodesTest {

    @Test
    void anUnknownHostIsANetworkErrorNamingTheHost(@TempDir Path cache) {
        // .invalid never resolves (RFC 6761): no network is needed to fail
        String before = System.getProperty("pointclip.hub.url");
        System.setProperty("pointclip.hub.url", "http://nonexistent.invalid");
        try {
            Object[] r = ProjectCommandTest.run("models", "download", "ViT-B/16", "--cache", cache.toString());
            String err = (String) r[2];
            assertEquals(PointClipCli.EXIT_NETWORK, r[0], err);
            assertTrue(err.contains("network error: unknown host nonexistent.invalid (http://nonexistent.invalid/"
                + "Xenova/clip-vit-base-patch16/resolve/main/"), err);
            assertFalse(err.contains("refused"), err);
        } finally {
            if (before == null) {
                System.clearProperty("pointclip.hub.url");
            } else {
                System.setProperty("pointclip.hub.url", before);
            }
        }
    }

    @Test
    void aModelPathThatDoesNotExistIsBadInputNamingThePath(@TempDir Path dir) {
        String chair = SharedData.require("golden/projection/chair_1024.npy").toString();
        Path missing = dir.resolve("no-such-model");
        Object[] r = ProjectCommandTest.run("classify", "--model", missing.toString(), "--input", chair);
        String err = (String) r[2];
        assertEquals(PointClipCli.EXIT_BAD_INPUT, r[0], err);
        assertTrue(err.contains("no CLIP model at " + missing + ": no such file or directory"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }
}
