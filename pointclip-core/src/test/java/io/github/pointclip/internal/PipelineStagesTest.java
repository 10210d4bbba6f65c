package io.github.pointclip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.prompt.PromptSet;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The pipeline stages are off PointClip's public surface, and only PointClip can install their access. */
class PipelineStagesTest {

    private static final Set<String> STAGES = Set.of("imageFeatures", "encoderInput", "encodeImages", "textFeatures",
        "logits");

    @Test
    void pointClipHasNoPublicStageMethodsButPipelineStagesHasThemAll() {
        List<String> publicStages = Arrays.stream(PointClip.class.getMethods()).map(Method::getName)
            .filter(STAGES::contains).toList();
        assertEquals(List.of(), publicStages, "PointClip's public methods");
        Set<String> here = Arrays.stream(PipelineStages.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
            .map(Method::getName).filter(STAGES::contains).collect(Collectors.toSet());
        assertEquals(STAGES, here);
    }

    @Test
    void onlyPointClipInstallsTheAccess() throws ClassNotFoundException {
        Class.forName(PointClip.class.getName()); // its static initialiser has installed the real one
        PipelineStages.Access impostor = new PipelineStages.Access() {
            @Override
            public float[] imageFeatures(PointClip clip, List<PointCloud> clouds) {
                return new float[0];
            }

            @Override
            public float[] encoderInput(PointClip clip, List<PointCloud> clouds, float[] out) {
                return new float[0];
            }

            @Override
            public float[] encodeImages(PointClip clip, float[] images, int count) {
                return new float[0];
            }

            @Override
            public float[] textFeatures(PointClip clip, PromptSet set) {
                return new float[0];
            }

            @Override
            public float[] logits(PointClip clip, float[] imageFeatures, int clouds, float[] text, int classes) {
                return new float[0];
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PipelineStages.install(impostor));
        assertTrue(e.getMessage().contains(getClass().getName()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PipelineStages.install(null));
    }
}
