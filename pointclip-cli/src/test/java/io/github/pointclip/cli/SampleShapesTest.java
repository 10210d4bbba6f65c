package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SampleShapesTest {

    @Test
    void committedChairIsTheGeneratorsOutput() throws IOException {
        Path committed = Path.of("../examples/samples/chair.obj");
        assertTrue(Files.exists(committed), "run SampleShapes to regenerate examples/samples/chair.obj");
        assertEquals(SampleShapes.chairObj(), Files.readString(committed, StandardCharsets.UTF_8),
            "examples/samples/chair.obj is stale: regenerate it with SampleShapes.main");
    }

    @Test
    void chairIsAClosedTriangleMeshAboutOneUnitTall() {
        String obj = SampleShapes.chairObj();
        long vertices = obj.lines().filter(l -> l.startsWith("v ")).count();
        long faces = obj.lines().filter(l -> l.startsWith("f ")).count();
        assertEquals(9 * 8, vertices, "nine boxes of eight corners");
        assertEquals(9 * 12, faces, "nine boxes of twelve triangles");
        double minY = obj.lines().filter(l -> l.startsWith("v ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[2]))
            .min().orElseThrow();
        double maxY = obj.lines().filter(l -> l.startsWith("v ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[2]))
            .max().orElseThrow();
        assertEquals(1.01, maxY - minY, 1e-6);
    }
}
