package io.github.pointclip.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.PointClip;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.onnx.tokenizer.TokenizerException;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompts longer than the 77-token context: an error naming the problem by default; with
 * {@code truncatePrompts(true)} cut as openai/CLIP's {@code truncate=True} (the first 75 tokens between the
 * start and end markers), so 100 one-token words encode exactly as their first 75; and a truncated feature
 * in the text cache never answers a model that does not truncate.
 */
class TruncatePromptsTest {

    private static PromptSet one(String prompt) {
        return PromptSet.fromPrompts(Map.of("x", List.of(prompt)));
    }

    @Test
    void longPromptsFailByDefaultAndAreCutOnRequest(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path bundle = ZeroShotEndToEndTest.openAiBundle(dir);
        String longPrompt = String.join(" ", java.util.Collections.nCopies(100, "a"));
        String fitting = String.join(" ", java.util.Collections.nCopies(75, "a"));
        try (PointClip strict = PointClip.builder().model(bundle).classes(List.of("x")).textCache(cache).build()) {
            TokenizerException e = assertThrows(TokenizerException.class, () -> PipelineStages.textFeatures(strict, one(longPrompt)));
            assertTrue(e.getMessage().contains("77"), e.getMessage());
        }
        float[] cut;
        float[] reference;
        try (PointClip lenient = PointClip.builder().model(bundle).classes(List.of("x")).textCache(cache)
            .truncatePrompts(true).build()) {
            cut = PipelineStages.textFeatures(lenient, one(longPrompt));
            reference = PipelineStages.textFeatures(lenient, one(fitting));
        }
        assertArrayEquals(reference, cut);
        try (PointClip strict = PointClip.builder().model(bundle).classes(List.of("x")).textCache(cache).build()) {
            assertThrows(TokenizerException.class, () -> PipelineStages.textFeatures(strict, one(longPrompt)),
                "the cached truncated feature must not answer a strict model");
        }
    }
}
