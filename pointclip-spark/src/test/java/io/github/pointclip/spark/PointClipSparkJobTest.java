package io.github.pointclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The job's command line, checked before any Spark session starts. */
class PointClipSparkJobTest {

    @TempDir
    Path dir;

    @Test
    void modelOptionsReachTheSpecAndAnUnsetPointCountStaysUnset() {
        PointClipSparkJob.Classify classify = new PointClipSparkJob.Classify();
        new CommandLine(classify).parseArgs("--model", "m", "--dtype", "fp16", "--input", "x", "--output", "y");
        PointClipSpec spec = classify.model.spec().build();
        assertEquals("fp16", spec.dtype());
        assertFalse(spec.pointsGiven(), "an adapter's own count applies unless --points is given");
        assertEquals(1024, spec.points());

        classify = new PointClipSparkJob.Classify();
        new CommandLine(classify).parseArgs("--model", "m", "--points", "2048", "--input", "x", "--output", "y");
        spec = classify.model.spec().build();
        assertTrue(spec.pointsGiven());
        assertEquals(2048, spec.points());
        assertEquals(null, spec.dtype());
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        String[] r = job("classify", "--model", "m", "--input", "x", "--output", "y", "--partitions", "-1");
        assertEquals("2", r[0]);
        assertEquals("pointclip-spark: --partitions must be >= 0 (0 = Spark's choice), got -1", r[2].strip());

        Path missing = dir.resolve("gone.npy");
        r = job("retrieve", "--embeddings", missing.toString(), "--query", "a chair", "--model", "m");
        assertEquals("2", r[0]);
        assertTrue(r[2].strip().startsWith("pointclip-spark: " + missing + ": no such file"), r[2]);
        assertEquals(1, r[2].strip().lines().count(), r[2]);

        r = job("retrieve", "--embeddings", missing.toString(), "--query", "a chair", "--model", "m", "--master",
            "local[1]");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--master"), r[2]);
    }

    private static String[] job(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PointClipSparkJob.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
