package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The golden clouds' .xyz text parses to exactly the float32 values of the matching .npy. */
class GoldenXyzTest {

    @Test
    void goldenXyzEqualsNpy() throws IOException {
        Path dir = SharedData.require("golden/projection");
        List<Path> texts;
        try (Stream<Path> files = Files.list(dir)) {
            texts = files.filter(p -> p.getFileName().toString().endsWith(".xyz")).sorted().toList();
        }
        assertFalse(texts.isEmpty(), "no .xyz files in " + dir);
        for (Path text : texts) {
            String name = text.getFileName().toString();
            Path npy = dir.resolve(name.substring(0, name.length() - 4) + ".npy");
            PointCloud fromText = PointClouds.read(text);
            float[] expected = NpyArray.read(npy).data();
            assertArrayEquals(expected, fromText.toArray(), name);
            assertArrayEquals(expected, PointClouds.read(npy).toArray(), name);
        }
    }
}
