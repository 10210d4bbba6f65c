package io.github.pointclip.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Part prompts (SEGMENTATION.md §4), options and the result type. */
class PartPromptsTest {

    @Test
    void theDefaultTemplateReplacesUnderscoresButEchoesTheNames() {
        PartPrompts p = PartPrompts.of("table", List.of("leg_or_support", "desktop"));
        assertEquals(List.of("point cloud depth map of the leg or support of a table.",
            "point cloud depth map of the desktop of a table."), p.sentences());
        assertEquals(List.of("leg_or_support", "desktop"), p.parts());
        assertEquals("table", p.category());
    }

    @Test
    void aTemplateWithoutCategoryIsValid() {
        assertEquals(List.of("a photo of a wing"), PartPrompts.fromTemplate("a photo of a {part}", "air_plane",
            List.of("wing")).sentences());
        assertEquals(List.of("the wing of an air plane"), PartPrompts.fromTemplate("the {part} of an {category}",
            "air_plane", List.of("wing")).sentences());
    }

    @Test
    void badPartsAndSentencesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PartPrompts.ofSentences("mug",
            List.of("handle", "cup"), List.of("one"))).getMessage().contains("2 parts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PartPrompts.of("mug", List.of("cup", "cup")))
            .getMessage().contains("named twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PartPrompts.of("mug", List.of())).getMessage()
            .contains("no parts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PartPrompts.fromTemplate("a {}", "mug",
            List.of("cup"))).getMessage().contains("{part}"));
    }

    @Test
    void optionsTakeExactlyTenFiniteWeights() {
        SegmentationOptions d = SegmentationOptions.defaults();
        assertEquals(SegmentationLayout.FIXED, d.layout());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, d.viewWeights());
        assertEquals(0, d.pointsPerCloud());
        assertThrows(IllegalArgumentException.class, () -> SegmentationOptions.builder().viewWeights(1, 2).build());
        assertThrows(IllegalArgumentException.class, () -> SegmentationOptions.builder()
            .viewWeights(1, 1, 1, 1, 1, 1, 1, 1, 1, Float.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> SegmentationOptions.builder().pointsPerCloud(-1).build());
        assertEquals(SegmentationLayout.OFFICIAL, SegmentationLayout.parse("Official"));
        assertThrows(IllegalArgumentException.class, () -> SegmentationLayout.parse("transposed"));
    }

    @Test
    void resultsCountPartsAndCheckLabels() {
        PartSegmentation s = PartSegmentation.of("mug", List.of("handle", "cup"), SegmentationLayout.FIXED,
            new int[] {1, 1, 0}, new float[] {0, 2, 1, 3, 5, 4});
        assertArrayEquals(new int[] {1, 2}, s.partSizes());
        assertEquals("cup", s.part(0));
        assertEquals(4f, s.logit(2, 1));
        assertThrows(IllegalArgumentException.class, () -> PartSegmentation.of("mug", List.of("handle"),
            SegmentationLayout.FIXED, new int[] {1}, new float[] {0}));
    }
}
