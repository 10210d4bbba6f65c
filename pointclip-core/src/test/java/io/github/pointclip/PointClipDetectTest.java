package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.detection.Box;
import io.github.pointclip.detection.DetectionOptions;
import io.github.pointclip.testing.FakePointEncoderLoader.FirstPointEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PointClip#detect}: the instance's batch size, and no detection with a point encoder. */
class PointClipDetectTest {

    /** Six unit boxes in a row with 50 points each. */
    private static PointCloud scene(List<Box> boxes) {
        SplittableRandom r = new SplittableRandom(1);
        float[] xyz = new float[3 * 300];
        for (int b = 0; b < 6; b++) {
            boxes.add(Box.of(2 * b, 0, 0, 1, 1, 1));
            for (int i = 0; i < 50; i++) {
                int k = 3 * (50 * b + i);
                xyz[k] = (float) (2 * b + r.nextDouble(-0.4, 0.4));
                xyz[k + 1] = (float) r.nextDouble(-0.4, 0.4);
                xyz[k + 2] = (float) r.nextDouble(-0.4, 0.4);
            }
        }
        return PointCloud.of(xyz);
    }

    @Test
    void detectCarriesTheInstancesBatchSizeUnlessTheOptionsSetOne(@TempDir Path cache) {
        List<Box> boxes = new ArrayList<>();
        PointCloud scene = scene(boxes);
        PointClipFacadeTest.FakeModel model = new PointClipFacadeTest.FakeModel();
        // two views a crop: a batch of 4 images holds 2 crops, so 6 boxes take 3 encoder runs
        try (PointClip clip = PointClip.builder().model(model).pipeline(Pipeline.of("tiny",
            new PointClipFacadeTest.TinyProjector(), "a {}.")).textCache(cache).batchSize(4).build()) {
            DetectionOptions options = DetectionOptions.builder().classes(List.of("cat", "emu")).build();
            assertTrue(!options.batchSizeGiven());
            assertEquals(6, clip.detect(scene, boxes, options).size());
            assertEquals(3, model.imageEncoder.runs.get(), "the instance's 4 images a run");
            assertEquals(12, model.imageEncoder.images.get());
            clip.detect(scene, boxes, options.toBuilder().batchSize(12).build());
            assertEquals(4, model.imageEncoder.runs.get(), "12 images a run when the options say so");
            clip.detect(scene, boxes);
            assertEquals(7, model.imageEncoder.runs.get(), "the defaults use the instance's batch size too");
        }
    }

    @Test
    void aPointEncoderInstanceIsRefusedUpFrontForDetection(@TempDir Path cache) {
        List<Box> boxes = new ArrayList<>();
        PointCloud scene = scene(boxes);
        try (PointClip clip = PointClip.builder().model(new PointEncoderClassificationTest.TextOnlyModel())
            .pipeline(Pipeline.of("tiny", new PointClipFacadeTest.TinyProjector(), "a {}."))
            .classes(List.of("cat", "emu")).textCache(cache)
            .pointEncoder(new FirstPointEncoder(PointEncoderClassificationTest.DIM, null, null)).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clip.detect(scene, boxes));
            assertTrue(e.getMessage().contains("detection") && e.getMessage().contains("point encoder"),
                e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> clip.detect(scene, List.of()));
        }
    }
}
