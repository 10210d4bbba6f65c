package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pointclip segment}: its refusals are one line on stderr and exit 2, before a model is opened. */
class SegmentCommandTest {

    private static String chair() {
        return SharedData.require("golden/segmentation/synthetic_chair_2048.npy").toString();
    }

    private static void assertBadInput(String expected, String... args) {
        Object[] r = ProjectCommandTest.run(args);
        assertEquals(2, r[0], (String) r[2]);
        String err = ((String) r[2]).strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(expected), err);
        assertEquals("", r[1], "nothing on stdout");
    }

    @Test
    void anUnknownCategoryNeedsParts(@TempDir Path dir) {
        assertBadInput("'teapot' is not a ShapeNetPart category", "segment", "--model", dir.toString(),
            "--input", chair(), "--category", "teapot");
    }

    @Test
    void thePromptCountMustMatchTheParts(@TempDir Path dir) {
        assertBadInput("--prompts has 2 sentences but there are 4 parts", "segment", "--model", dir.toString(),
            "--input", chair(), "--category", "chair", "--prompts", "a back|a seat");
        assertBadInput("--prompts has 3 sentences but there are 2 parts", "segment", "--model", dir.toString(),
            "--input", chair(), "--category", "mug", "--parts", "handle,cup", "--prompts", "a|b|c");
    }

    @Test
    void viewWeightsLayoutAndPointsAreChecked(@TempDir Path dir) {
        assertBadInput("exactly 10 values, got 3", "segment", "--model", dir.toString(), "--input", chair(),
            "--category", "chair", "--view-weights", "1,2,3");
        assertBadInput("expected fixed or official", "segment", "--model", dir.toString(), "--input", chair(),
            "--category", "chair", "--layout", "transposed");
        assertBadInput("--first must be ≥ 0", "segment", "--model", dir.toString(), "--input", chair(),
            "--category", "chair", "--first", "-3");
        assertBadInput("part 'leg' is named twice", "segment", "--model", dir.toString(), "--input", chair(),
            "--category", "chair", "--parts", "leg,leg");
    }
}
