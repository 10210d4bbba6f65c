package io.github.pointclip.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterProposerTest {

    /** The surface of a y-up cuboid, w × h × d, sampled with n points. */
    static PointCloud cuboid(double w, double h, double d, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] xyz = new float[3 * n];
        for (int i = 0; i < n; i++) {
            double[] p = {r.nextDouble(-w / 2, w / 2), r.nextDouble(0, h), r.nextDouble(-d / 2, d / 2)};
            int face = r.nextInt(6);
            double[] lim = {w / 2, h, d / 2};
            int axis = face / 2;
            p[axis] = face % 2 == 0 ? (axis == 1 ? 0 : -lim[axis]) : lim[axis];
            xyz[3 * i] = (float) p[0];
            xyz[3 * i + 1] = (float) p[1];
            xyz[3 * i + 2] = (float) p[2];
        }
        return PointCloud.of(xyz);
    }

    private static double bestIou(Box truth, List<Box> proposals) {
        double best = 0;
        for (Box p : proposals) {
            best = Math.max(best, BoxOverlap.iou(truth, p));
        }
        return best;
    }

    @Test
    void findsEveryObjectOfACleanSyntheticRoomAndNothingOfItsStructure() {
        List<SyntheticRoom.Shape> shapes = List.of(new SyntheticRoom.Shape(cuboid(1.2, 0.75, 0.8, 3000, 1), "table"),
            new SyntheticRoom.Shape(cuboid(0.5, 0.9, 0.5, 2000, 2), "chair"),
            new SyntheticRoom.Shape(cuboid(1.0, 1.8, 0.4, 3000, 3), "bookshelf"),
            new SyntheticRoom.Shape(cuboid(1.4, 0.6, 1.4, 3000, 4), "bed"));
        SyntheticRoom.Scene room = SyntheticRoom.build(shapes, 42);
        List<Box> proposals = ClusterProposer.defaults().propose(room.points());
        assertEquals(4, room.boxes().size());
        for (LabelledBox truth : room.boxes()) {
            double iou = bestIou(truth.box(), proposals);
            assertTrue(iou > 0.5, truth.label() + ": best IoU " + iou + " among " + proposals);
        }
        assertTrue(proposals.size() <= 6, "structure left over as boxes: " + proposals);
        // deterministic for a seed
        assertEquals(proposals, ClusterProposer.defaults().propose(room.points()));
        assertEquals(room.points(), SyntheticRoom.build(shapes, 42).points());
    }

    @Test
    void withoutPlaneRemovalTheRoomIsOneBigClusterThatMaxExtentDrops() {
        SyntheticRoom.Scene room = SyntheticRoom.build(List.of(new SyntheticRoom.Shape(cuboid(1, 1, 1, 2000, 1),
            "table")), 1);
        List<Box> none = ClusterProposer.builder().maxPlanes(0).build().propose(room.points());
        assertTrue(none.isEmpty(), "the floor touches the table: one cluster larger than 4 m " + none);
    }

    @Test
    void clustersAreVoxelConnectedComponents() {
        // two blobs 0.2 apart stay apart at tolerance 0.05 and merge at 0.3; a blob of 10 points is dropped at 50
        List<Float> pts = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 200; i++) {
            pts.add((float) r.nextDouble(0, 0.3));
            pts.add((float) r.nextDouble(0, 0.3));
            pts.add((float) r.nextDouble(0, 0.3));
            pts.add((float) r.nextDouble(0.5, 0.8));
            pts.add((float) r.nextDouble(0, 0.3));
            pts.add((float) r.nextDouble(0, 0.3));
        }
        for (int i = 0; i < 10; i++) {
            pts.add((float) (3 + r.nextDouble(0, 0.05)));
            pts.add(3f);
            pts.add(3f);
        }
        float[] xyz = new float[pts.size()];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = pts.get(i);
        }
        PointCloud cloud = PointCloud.of(xyz);
        List<Box> apart = ClusterProposer.builder().maxPlanes(0).clusterTolerance(0.05).build().propose(cloud);
        assertEquals(2, apart.size(), apart.toString());
        for (Box b : apart) {
            assertTrue(b.sizeX() <= 0.3 && b.sizeY() <= 0.3 && b.sizeZ() <= 0.3, b.toString());
            assertEquals(200, SceneIndex.scan(cloud, b).length, "the box of a cluster holds exactly its points");
        }
        assertEquals(1, ClusterProposer.builder().maxPlanes(0).clusterTolerance(0.3).build().propose(cloud).size());
        assertEquals(3, ClusterProposer.builder().maxPlanes(0).minClusterPoints(10).build().propose(cloud).size());
        assertThrows(IllegalArgumentException.class, () -> ClusterProposer.builder().clusterTolerance(0).build());
        assertThrows(IllegalArgumentException.class, () -> ClusterProposer.builder().minPlaneFraction(2).build());
    }

    @Test
    void findsTheModelNetObjectsOfSyntheticRoomsAndTheLayoutRoundTrips(@TempDir Path dir) throws IOException {
        Dataset ds = Datasets.modelNet40(SharedData.require("data/modelnet40-mini"), Split.TEST);
        List<SyntheticRoom.Shape> shapes = SyntheticRoom.shapes(ds, 0, 6);
        assertEquals(6, shapes.size());
        SyntheticRoom.Scene room = SyntheticRoom.build(shapes, 7);
        List<Box> proposals = ClusterProposer.defaults().propose(room.points());
        int found = 0;
        for (LabelledBox truth : room.boxes()) {
            if (bestIou(truth.box(), proposals) > 0.5) {
                found++;
            }
        }
        assertTrue(found >= 5, found + " of 6 objects found at IoU 0.5: " + proposals);

        ScanNetScenes.write(dir, "scene0000_00", room.points(), room.boxes());
        assertEquals(List.of("scene0000_00"), ScanNetScenes.sceneIds(dir));
        PointCloud back = ScanNetScenes.readScene(dir, "scene0000_00");
        assertEquals(room.points().size(), back.size());
        assertEquals(room.points().x(5), back.x(5));
        assertEquals(room.points().attribute("color")[7], back.attribute("color")[7]);
        List<LabelledBox> boxes = ScanNetScenes.readBoxes(dir, "scene0000_00");
        assertEquals(room.boxes().size(), boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            assertEquals(room.boxes().get(i).label(), boxes.get(i).label());
            assertEquals(1.0, BoxOverlap.iou(room.boxes().get(i).box(), boxes.get(i).box()), 1e-5);
        }

        // mmdetection3d's variant: unaligned vertices, the matrix beside them, _aligned_bbox.npy
        Path mm = dir.resolve("mm");
        ScanNetScenes.write(mm, "scene0000_00", room.points(), room.boxes());
        Files.move(mm.resolve("scene0000_00_bbox.npy"), mm.resolve("scene0000_00_aligned_bbox.npy"));
        // the alignment turns by 90° about z and shifts by (1, 2, 0): store the inverse image
        float[] v = NpyArray.read(mm.resolve("scene0000_00_vert.npy")).data();
        for (int i = 0; i < v.length; i += 6) {
            float x = v[i] - 1;
            float y = v[i + 1] - 2;
            v[i] = y;
            v[i + 1] = -x;
        }
        NpyArray.write(mm.resolve("scene0000_00_vert.npy"), v, v.length / 6, 6);
        NpyArray.write(mm.resolve("scene0000_00_axis_align_matrix.npy"),
            new float[] {0, -1, 0, 1, 1, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 1}, 4, 4);
        PointCloud aligned = ScanNetScenes.readScene(mm, "scene0000_00");
        for (int i = 0; i < aligned.size(); i += 997) {
            assertEquals(room.points().x(i), aligned.x(i), 1e-5);
            assertEquals(room.points().y(i), aligned.y(i), 1e-5);
            assertEquals(room.points().z(i), aligned.z(i), 0);
        }
        assertEquals(boxes, ScanNetScenes.readBoxes(mm, "scene0000_00"));
    }
}
