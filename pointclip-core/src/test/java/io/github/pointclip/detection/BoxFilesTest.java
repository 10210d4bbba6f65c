package io.github.pointclip.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.io.FileFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxFilesTest {

    @Test
    void headingAndScoreAreOptionalAndTheFormatRoundTrips(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("b.json");
        Files.writeString(file, "[{\"center\": [1, 2, 3], \"size\": [4, 5, 6]},"
            + " {\"center\": [0, 0, 0], \"size\": [1, 1, 1], \"heading\": -7.5, \"score\": 0.25}]");
        List<Box> boxes = BoxFiles.read(file);
        assertEquals(Box.of(1, 2, 3, 4, 5, 6), boxes.get(0));
        assertFalse(boxes.get(0).hasScore());
        assertEquals(-7.5, boxes.get(1).heading());
        assertEquals(0.25, boxes.get(1).score().getAsDouble());
        Path copy = dir.resolve("copy.json");
        BoxFiles.write(boxes, copy);
        assertEquals(boxes, BoxFiles.read(copy));
        Files.writeString(file, "[]");
        assertTrue(BoxFiles.read(file).isEmpty());
        // "score": null (Python's None) is the same as no score, as documented
        Files.writeString(file, "[{\"center\": [1, 2, 3], \"size\": [4, 5, 6], \"score\": null}]");
        assertEquals(List.of(Box.of(1, 2, 3, 4, 5, 6)), BoxFiles.read(file));
        assertFalse(BoxFiles.read(file).get(0).hasScore());
    }

    @Test
    void badBoxesNameTheBoxAndTheProblem(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"[{\"center\": [0, 0, 0], \"size\": [1, 1, -2]}]", "boxes[0].size[2] is -2.0"},
            {"[{\"center\": [0, 0], \"size\": [1, 1, 1]}]", "boxes[0].center must be an array of 3"},
            {"[{\"center\": [0, 0, 0], \"size\": [1, 1, 1]}, {\"center\": [0, Infinity, 0], \"size\": [1, 1, 1]}]",
                "boxes[1].center[1] is Infinity"},
            {"[{\"center\": [0, 0, 0], \"size\": [1, \"a\", 1]}]", "boxes[0].size[1] is not a number"},
            {"[{\"center\": [0, 0, 0], \"size\": [1, 1, 1], \"yaw\": 1}]", "unknown key 'yaw'"},
            {"[{\"size\": [1, 1, 1]}]", "has no \"center\""},
            {"{\"center\": [0, 0, 0]}", "expected a JSON array"},
            {"[{\"center\": [0, 0, 0], \"size\": [1, 1, 1], \"heading\": NaN}]", "heading is NaN"},
            {"[{\"center\": [0, 0, 0],", "not JSON"},
            // beyond the float range: the PLY output (floats) would fail after all the work
            {"[{\"center\": [0, 0, 0], \"size\": [1, 1, 1]}, {\"center\": [0, 0, 0], \"size\": [1, 1e39, 1]}]",
                "boxes[1].size[1] is 1.0E39: beyond the float range"},
            {"[{\"center\": [-4e38, 0, 0], \"size\": [1, 1, 1]}]", "boxes[0].center[0] is -4.0E38"},
            {"[{\"center\": [3.4e38, 0, 0], \"size\": [1e38, 1, 1]}]", "boxes[0]: box center"},
            {"[{\"center\": [0, 0, 0], \"size\": [1, 1, 1], \"heading\": null}]", "boxes[0].heading is not a number"},
        };
        for (String[] c : cases) {
            Path file = dir.resolve("bad.json");
            Files.writeString(file, c[0]);
            FileFormatException e = assertThrows(FileFormatException.class, () -> BoxFiles.read(file), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("bad.json"), e.getMessage());
        }
    }
}
