package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Surface sampling checked against geometry: probabilities follow areas, points are uniform
 * inside a triangle. With 40 000 samples a proportion's standard deviation is at most 0.0025, so
 * the tolerances below are over 5 sigma.
 */
class MeshSamplingTest {

    private static final int N = 40_000;

    @TempDir
    Path dir;

    private ReadOptions sampling(long seed) {
        return ReadOptions.builder().samplePoints(N).seed(seed).build();
    }

    /** Two disjoint triangles: area 1.5 in the plane z = 0, area 0.5 in z = 1, ratio 3:1. */
    private Path twoTriangles() throws IOException {
        return TestFiles.text(dir, "two.off", "OFF\n6 2 0\n"
            + "0 0 0\n3 0 0\n0 1 0\n"
            + "0 0 1\n1 0 1\n0 1 1\n"
            + "3 3 4 5\n3 0 1 2\n");
    }

    @Test
    void byDefaultAMeshIsSampledWith1024PointsAndSeed0AndAPointCloudIsReadWhole() throws IOException {
        PointCloud mesh = PointClouds.read(twoTriangles());
        assertEquals(ReadOptions.DEFAULT_MESH_POINTS, mesh.size());
        assertEquals(PointClouds.read(twoTriangles(), ReadOptions.builder().samplePoints(1024).seed(0).build()), mesh);
        for (int i = 0; i < mesh.size(); i++) { // on one of the two triangles
            boolean lower = mesh.z(i) == 0 && mesh.x(i) + 3 * mesh.y(i) <= 3.0001f;
            boolean upper = mesh.z(i) == 1 && mesh.x(i) + mesh.y(i) <= 1.0001f;
            assertTrue(mesh.x(i) >= 0 && mesh.y(i) >= 0 && (lower || upper), "point " + i);
        }
        // a PLY without faces and an xyz file keep all their points, even more than 1024
        StringBuilder xyz = new StringBuilder();
        StringBuilder ply = new StringBuilder("ply\nformat ascii 1.0\nelement vertex 1500\nproperty float x\n"
            + "property float y\nproperty float z\nend_header\n");
        for (int i = 0; i < 1500; i++) {
            xyz.append(i).append(" 0 0\n");
            ply.append(i).append(" 0 0\n");
        }
        PointCloud fromXyz = PointClouds.read(TestFiles.text(dir, "line.xyz", xyz.toString()));
        PointCloud fromPly = PointClouds.read(TestFiles.text(dir, "line.ply", ply.toString()));
        assertEquals(1500, fromXyz.size());
        assertEquals(fromXyz, fromPly);
        assertEquals(1499f, fromPly.x(1499));
    }

    @Test
    void triangleIsChosenInProportionToItsArea() throws IOException {
        PointCloud cloud = PointClouds.read(twoTriangles(), sampling(1));
        assertEquals(N, cloud.size());
        int onLarge = 0;
        for (int i = 0; i < N; i++) {
            float z = cloud.z(i);
            assertTrue(z == 0 || z == 1, "point off both triangles: z=" + z);
            onLarge += z == 0 ? 1 : 0;
        }
        assertEquals(0.75, onLarge / (double) N, 0.0125);
    }

    @Test
    void pointsAreUniformInsideATriangle() throws IOException {
        // the unit right triangle (0,0) (1,0) (0,1), area 1/2
        Path file = TestFiles.text(dir, "t.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n");
        PointCloud cloud = PointClouds.read(file, sampling(2));
        int nearCorner = 0;
        int leftHalf = 0;
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < N; i++) {
            float x = cloud.x(i);
            float y = cloud.y(i);
            assertTrue(x >= 0 && y >= 0 && x + y <= 1 + 1e-6f, "outside the triangle: " + x + ", " + y);
            nearCorner += x + y < 0.5 ? 1 : 0; // sub-triangle of area 1/8: a quarter of the triangle
            leftHalf += x < 0.5 ? 1 : 0; // area 1/2 − 1/8 = 3/8: three quarters
            sumX += x;
            sumY += y;
        }
        assertEquals(0.25, nearCorner / (double) N, 0.0125);
        assertEquals(0.75, leftHalf / (double) N, 0.0125);
        // the centroid is (1/3, 1/3); a coordinate's standard deviation is sqrt(1/18)
        assertEquals(1 / 3.0, sumX / N, 0.006);
        assertEquals(1 / 3.0, sumY / N, 0.006);
    }

    @Test
    void samplingIsDeterministicForASeed() throws IOException {
        Path file = twoTriangles();
        PointCloud a = PointClouds.read(file, sampling(7));
        PointCloud b = PointClouds.read(file, sampling(7));
        PointCloud c = PointClouds.read(file, sampling(8));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void zeroAreaAndNonFiniteTrianglesGetNoSamples() throws IOException {
        // triangle 0 is degenerate (collinear), triangle 1 touches a NaN vertex, triangle 2 is the unit one
        Path file = TestFiles.text(dir, "mixed.off", "OFF\n7 3 0\n"
            + "0 0 5\n1 1 5\n2 2 5\n"
            + "nan 0 9\n"
            + "0 0 0\n1 0 0\n0 1 0\n"
            + "3 0 1 2\n3 3 4 5\n3 4 5 6\n");
        PointCloud cloud = PointClouds.read(file, sampling(3).toBuilder().dropNonFinite(true).build());
        for (int i = 0; i < N; i++) {
            assertEquals(0f, cloud.z(i));
        }
    }

    @Test
    void fileWithoutFacesGivesItsVertices() throws IOException {
        Path file = TestFiles.text(dir, "v.obj", "v 1 2 3\nv 4 5 6\n");
        assertEquals(2, PointClouds.read(file, sampling(0)).size());
    }
}
