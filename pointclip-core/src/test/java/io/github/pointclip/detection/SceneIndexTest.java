package io.github.pointclip.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SceneIndexTest {

    @Test
    void everyBoxGivesWhatAFullScanGives() {
        SplittableRandom random = new SplittableRandom(5);
        int free = 60_000;
        // then a lattice every 0.25 over the scene's bounds [-4, 6] × [0, 8] × [0, 3]: the grid starts at the
        // bounds' minimum, so with cells of 0.5 or 0.25 every cell border holds lattice points
        int lx = 41;
        int ly = 33;
        int lz = 13;
        int n = free + lx * ly * lz;
        float[] xyz = new float[3 * n];
        for (int i = 0; i < free; i++) {
            xyz[3 * i] = (float) random.nextDouble(-4, 6);
            xyz[3 * i + 1] = (float) random.nextDouble(0, 8);
            xyz[3 * i + 2] = (float) random.nextDouble(0, 3);
        }
        int k = free;
        for (int i = 0; i < lx; i++) {
            for (int j = 0; j < ly; j++) {
                for (int l = 0; l < lz; l++) {
                    xyz[3 * k] = -4 + 0.25f * i;
                    xyz[3 * k + 1] = 0.25f * j;
                    xyz[3 * k + 2] = 0.25f * l;
                    k++;
                }
            }
        }
        // a few points exactly on the faces of one box
        xyz[0] = 1;
        xyz[1] = 2;
        xyz[2] = 1;
        PointCloud scene = PointCloud.of(xyz);
        SceneIndex index = SceneIndex.of(scene);
        SceneIndex coarse = SceneIndex.of(scene, 0.5);
        SceneIndex lattice = SceneIndex.of(scene, 0.25);
        // boxes whose faces lie on lattice planes, so on cell borders too: every face point counts
        for (int b = 0; b < 100; b++) {
            double dx = 0.25 * random.nextInt(0, 9);
            double dy = 0.25 * random.nextInt(0, 9);
            double dz = 0.25 * random.nextInt(0, 5);
            Box box = Box.of(-4 + 0.25 * random.nextInt(0, 41) + dx / 2, 0.25 * random.nextInt(0, 33) + dy / 2,
                0.25 * random.nextInt(0, 13) + dz / 2, dx, dy, dz);
            int[] expected = SceneIndex.scan(scene, box);
            long onLattice = (long) (Math.round(dx / 0.25) + 1) * (Math.round(dy / 0.25) + 1) * (Math.round(dz / 0.25) + 1);
            int inside = 0;
            for (int p : expected) {
                inside += p >= free ? 1 : 0;
            }
            assertTrue(inside <= onLattice && inside > 0, box + ": " + inside + " lattice points of " + onLattice);
            assertArrayEquals(expected, index.indicesIn(box), box.toString());
            assertArrayEquals(expected, coarse.indicesIn(box), box.toString());
            assertArrayEquals(expected, lattice.indicesIn(box), box.toString());
        }
        // a box exactly one 0.5 cell: its 3 × 3 × 3 lattice points, borders included
        Box cell = Box.of(-3.75, 0.25, 0.25, 0.5, 0.5, 0.5);
        int latticeInCell = 0;
        for (int p : coarse.indicesIn(cell)) {
            latticeInCell += p >= free ? 1 : 0;
        }
        assertEquals(27, latticeInCell);
        Box onFace = Box.of(0.5, 2, 1, 1, 1, 1);
        assertArrayEquals(SceneIndex.scan(scene, onFace), index.indicesIn(onFace));
        for (int b = 0; b < 300; b++) {
            Box box = Box.of(random.nextDouble(-5, 7), random.nextDouble(-1, 9), random.nextDouble(-0.5, 3.5),
                random.nextDouble(0, 3), random.nextDouble(0, 3), random.nextDouble(0, 2),
                b % 3 == 0 ? 0 : random.nextDouble(-7, 7));
            int[] expected = SceneIndex.scan(scene, box);
            assertArrayEquals(expected, index.indicesIn(box), box.toString());
            assertArrayEquals(expected, coarse.indicesIn(box), box.toString());
            assertEquals(expected.length, index.countIn(box));
        }
        // a box around the whole scene, and one far away
        Box all = Box.of(1, 4, 1.5, 20, 20, 20);
        assertEquals(n, index.countIn(all));
        assertEquals(n, lattice.countIn(all));
        assertEquals(0, index.countIn(Box.of(100, 100, 100, 1, 1, 1)));
        assertNull(index.crop(Box.of(100, 100, 100, 1, 1, 1)));
    }

    @Test
    void flatAndSinglePointScenesAreIndexed() {
        float[] flat = new float[3 * 1000];
        for (int i = 0; i < 1000; i++) {
            flat[3 * i] = i % 40;
            flat[3 * i + 1] = i / 40;
        }
        PointCloud scene = PointCloud.of(flat);
        SceneIndex index = SceneIndex.of(scene);
        Box box = Box.of(10, 10, 0, 4, 4, 0);
        assertArrayEquals(SceneIndex.scan(scene, box), index.indicesIn(box));
        assertEquals(25, index.countIn(box), "a 5 × 5 patch of the lattice, faces included");
        PointCloud one = PointCloud.of(new float[] {1, 2, 3});
        assertEquals(1, SceneIndex.of(one).countIn(Box.of(1, 2, 3, 0, 0, 0)));
        PointCloud crop = SceneIndex.of(one).crop(Box.of(1, 2, 3, 1, 1, 1));
        assertEquals(1, crop.size());
        assertEquals(2f, crop.y(0));
    }
}
