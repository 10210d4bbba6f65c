package io.github.pointclip.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticRoomTest {

    /** Box extents come from noisy points: a few standard deviations on each side. */
    private static final double SLACK = 10 * SyntheticRoom.NOISE;

    private static void realSizesAndRoomForAll(SyntheticRoom.Scene room) {
        float[] b = room.points().bounds();
        List<LabelledBox> boxes = room.boxes();
        for (int i = 0; i < boxes.size(); i++) {
            LabelledBox t = boxes.get(i);
            assertEquals(SyntheticRoom.height(t.label()), t.box().sizeZ(), SLACK, t.label() + " keeps its real height");
            assertEquals(t.box().sizeZ() / 2, t.box().centerZ(), SLACK, t.label() + " stands on the floor");
            double[] ti = t.box().bounds();
            assertTrue(ti[0] > b[0] && ti[1] > b[1] && ti[3] < b[3] && ti[4] < b[4], t.label() + " inside the walls");
            for (int j = 0; j < i; j++) {
                assertEquals(0, BoxOverlap.iou(t.box(), boxes.get(j).box()), 1e-12, "objects " + i + ", " + j + " apart");
            }
        }
    }

    @Test
    void objectsKeepTheirRealHeightAndTheRoomGrowsToFitThem() {
        // a bed 2 × 0.3 × 1.6 (y up) is scaled ×2 to its 0.6 m: a 4 × 3.2 m footprint that the old
        // 1.8 × 2.2 m places shrank; the cuboids of the third column are cut
        List<SyntheticRoom.Shape> shapes = List.of(
            new SyntheticRoom.Shape(ClusterProposerTest.cuboid(2, 0.3, 1.6, 4000, 1), "bed"),
            new SyntheticRoom.Shape(ClusterProposerTest.cuboid(0.5, 0.9, 0.5, 2000, 2), "chair"),
            new SyntheticRoom.Shape(ClusterProposerTest.cuboid(1.0, 1.8, 0.4, 3000, 3), "bookshelf"),
            new SyntheticRoom.Shape(ClusterProposerTest.cuboid(0.2, 0.2, 0.2, 2000, 4), "curtain"),
            new SyntheticRoom.Shape(ClusterProposerTest.cuboid(1.4, 0.75, 0.8, 3000, 5), "table"),
            new SyntheticRoom.Shape(ClusterProposerTest.cuboid(0.6, 1.2, 0.5, 3000, 6), "cabinet"));
        for (long seed = 0; seed < 5; seed++) {
            SyntheticRoom.Scene room = SyntheticRoom.build(shapes, seed);
            assertEquals(6, room.boxes().size());
            realSizesAndRoomForAll(room);
            // the bed's footprint at its real size: its diagonal is 2√(2² + 1.6²) ≈ 5.1 m
            Box bed = room.boxes().get(0).box();
            assertTrue(Math.hypot(bed.sizeX(), bed.sizeY()) > 4, "the bed is not shrunk: " + bed);
        }
        // small objects: the room is the plain 6 × 5 m
        SyntheticRoom.Scene small = SyntheticRoom.build(shapes.subList(1, 2), 0);
        float[] b = small.points().bounds();
        assertEquals(SyntheticRoom.WIDTH, b[3] - b[0], SLACK);
        assertEquals(SyntheticRoom.DEPTH, b[4] - b[1], SLACK);
    }

    @Test
    void modelNetShapesKeepTheirRealHeight() throws java.io.IOException {
        Dataset ds = Datasets.modelNet40(SharedData.require("data/modelnet40-mini"), Split.TEST);
        List<SyntheticRoom.Shape> shapes = SyntheticRoom.shapes(ds, 0, 6);
        assertEquals(6, shapes.size());
        SyntheticRoom.Scene room = SyntheticRoom.build(shapes, 7);
        realSizesAndRoomForAll(room);
        PointCloud again = SyntheticRoom.build(shapes, 7).points();
        assertEquals(room.points(), again);
    }
}
