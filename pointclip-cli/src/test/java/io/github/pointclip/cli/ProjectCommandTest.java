package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.projection.RealisticProjector;
import io.github.pointclip.projection.SparsePerspectiveProjector;
import io.github.pointclip.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectCommandTest {

    /** Runs the CLI with captured output; returns {exit code, stdout, stderr}. */
    static Object[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        picocli.CommandLine cli = PointClipCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Object[] {code, out.toString(), err.toString()};
    }

    @Test
    void writesTheGoldenV2MapsAndAContactSheet(@TempDir Path dir) throws IOException {
        Path input = SharedData.require("golden/projection/chair_1024.npy");
        Path npy = dir.resolve("maps.npy"), png = dir.resolve("sheet.png");
        Object[] r = run("project", "--projector", "v2", "--input", input.toString(), "--output", npy.toString(),
            "--png", png.toString());
        assertEquals(0, r[0], (String) r[2]);
        NpyArray maps = NpyArray.read(npy);
        NpyArray golden = NpyArray.read(SharedData.require("golden/projection/chair_1024.v2.npy"));
        assertArrayEquals(golden.shape(), maps.shape());
        assertArrayEquals(golden.data(), maps.data(), 1e-4f);
        BufferedImage sheet = ImageIO.read(png.toFile());
        assertEquals(5 * 110 + 6 * 4, sheet.getWidth(), "five views per row with gutters");
        assertEquals(2 * 110 + 3 * 4, sheet.getHeight());
    }

    @Test
    void resizesFirstPointsOfAPlyFile(@TempDir Path dir) throws IOException {
        float[] xyz = new float[3 * 50];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) Math.sin(i * 0.37);
        }
        Path ply = dir.resolve("cloud.ply");
        PointClouds.writePly(PointCloud.of(xyz), ply);
        Path npy = dir.resolve("out.npy");
        Object[] r = run("project", "--projector", "v1-fewshot", "--input", ply.toString(), "--output", npy.toString(),
            "--points", "20", "--size", "64");
        assertEquals(0, r[0], (String) r[2]);
        NpyArray maps = NpyArray.read(npy);
        assertArrayEquals(new int[] {10, 64, 64}, maps.shape());
        float[] expected = SparsePerspectiveProjector.pointClipV1FewShot().project(PointCloud.of(xyz).first(20))
            .resize(64).toArray();
        assertArrayEquals(expected, maps.data());
    }

    @Test
    void samplesTheCommittedChairMesh(@TempDir Path dir) throws IOException {
        Path npy = dir.resolve("chair.npy");
        Object[] r = run("project", "--projector", "v2", "--input", "../examples/samples/chair.obj", "--output", npy.toString(),
            "--points", "1024", "--seed", "3");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("1024 points"), (String) r[1]);
        assertArrayEquals(new int[] {10, 110, 110}, NpyArray.read(npy).shape());
    }

    @Test
    void badInputExitsWithTwoAndOneLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.xyz");
        Files.writeString(bad, "0 0 0\n1 oops 2\n");
        Path out = dir.resolve("out.npy");
        Object[] r = run("project", "--projector", "v1", "--input", bad.toString(), "--output", out.toString());
        assertEquals(2, r[0]);
        String err = (String) r[2];
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("bad.xyz:2"), err);
        assertFalse(Files.exists(out), "no output on failure");

        r = run("project", "--projector", "v9", "--input", bad.toString(), "--output", out.toString());
        assertEquals(2, r[0]);
        assertEquals(1, ((String) r[2]).strip().lines().count(), (String) r[2]);

        r = run("project", "--projector", "v1", "--input", dir.resolve("missing.ply").toString(), "--output", "x.npy");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("file not found"), (String) r[2]);

        r = run("project", "--projector", "v1", "--input", bad.toString(), "--output", out.toString(), "--verbose");
        assertTrue(((String) r[2]).lines().count() > 3, "stack trace with --verbose");
    }

    @Test
    void nonFiniteCoordinatesFailUnlessDropped(@TempDir Path dir) throws IOException {
        Path nan = dir.resolve("nan.xyz");
        Files.writeString(nan, "0 0 0\nnan 1 1\n0.5 0.5 0.5\n");
        Path out = dir.resolve("out.npy");
        assertEquals(2, run("project", "--projector", "v2", "--input", nan.toString(), "--output", out.toString())[0]);
        Object[] r = run("project", "--projector", "v2", "--input", nan.toString(), "--output", out.toString(),
            "--drop-non-finite");
        assertEquals(0, r[0], (String) r[2]);
        float[] expected = RealisticProjector.pointClipV2().project(PointCloud.of(new float[] {0, 0, 0, 0.5f, 0.5f, 0.5f}))
            .toArray();
        assertArrayEquals(expected, NpyArray.read(out).data());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"project", "sample", "classify", "eval", "fewshot", "search", "tokenize",
            "models"}) {
            Object[] r = run(command, "--help");
            assertEquals(0, r[0]);
            assertTrue(((String) r[1]).contains("Usage: pointclip " + command), (String) r[1]);
        }
    }
}
