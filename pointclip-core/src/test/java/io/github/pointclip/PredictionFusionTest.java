package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.io.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Prediction#fuse} and {@link LogitsFile}. */
class PredictionFusionTest {

    private static final List<String> ABC = List.of("a", "b", "c");

    @Test
    void fusedLogitsAreTheFirstPlusTheWeightedSecond() {
        Prediction clip = Prediction.of(ABC, new float[] {2, 1, 0});
        Prediction other = Prediction.of(ABC, new float[] {-1, 4, 0.5f});
        Prediction fused = clip.fuse(other, 0.5f);
        assertArrayEquals(new float[] {1.5f, 3f, 0.25f}, fused.logits());
        assertEquals("b", fused.label()); // the second model overturns the first
        assertEquals("a", clip.label());
        double z = Math.exp(1.5) + Math.exp(3) + Math.exp(0.25);
        assertEquals(Math.exp(3) / z, fused.probabilities()[1], 1e-6);
        assertArrayEquals(clip.logits(), clip.fuse(other, 0).logits());
    }

    @Test
    void predictionsOverOtherLabelsAreRefused() {
        Prediction clip = Prediction.of(ABC, new float[3]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> clip.fuse(Prediction.of(List.of("a", "c", "b"), new float[3]), 1));
        assertEquals("cannot fuse predictions over different labels: label 1 is 'b' here but 'c' there (the class order "
            + "must match)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> clip.fuse(Prediction.of(List.of("a"), new float[1]), 1));
        assertEquals("cannot fuse predictions over different labels: 3 labels here but 1 there", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clip.fuse(clip, Float.NaN));
    }

    @Test
    void npyLogitsAreRowsOfClasses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other.npy");
        NpyArray.write(file, new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        LogitsFile logits = LogitsFile.read(file);
        assertEquals(2, logits.rows());
        assertEquals(3, logits.classes());
        assertArrayEquals(new float[] {4, 5, 6}, logits.logits(1));
        assertTrue(logits.labels().isEmpty());
        assertArrayEquals(new float[] {4, 5, 6}, logits.prediction(1, ABC).logits());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> logits.checkClasses(List.of("a", "b")));
        assertEquals(file + ": 3 logits per row, but they are fused with 2 classes (columns must be the classes in "
            + "order)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> logits.checkRows(5, "inputs"));
        assertEquals(file + ": 2 rows of logits, but 5 inputs (one row per cloud, in order)", e.getMessage());
        NpyArray.write(file, new float[] {1, Float.NaN}, 2);
        LogitsFile.FormatException bad = assertThrows(LogitsFile.FormatException.class, () -> LogitsFile.read(file));
        assertEquals(file + ": logit 1 of row 0 is NaN; logits must be finite", bad.getMessage());
        NpyArray.write(file, new float[8], 2, 2, 2);
        bad = assertThrows(LogitsFile.FormatException.class, () -> LogitsFile.read(file));
        assertTrue(bad.getMessage().contains("shape [2, 2, 2]"), bad.getMessage());
    }

    @Test
    void jsonLinesAsClassifyWritesThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other.jsonl");
        Files.writeString(file, "{\"input\":\"x.ply\",\"labels\":[\"a\",\"b\",\"c\"],\"logits\":[1,2,3.5],"
            + "\"probabilities\":[0.1,0.2,0.7]}\n\n{\"input\":\"y.ply\",\"labels\":[\"a\",\"b\",\"c\"],\"logits\":[0,0,-1]}\n");
        LogitsFile logits = LogitsFile.read(file);
        assertEquals(2, logits.rows());
        assertEquals(ABC, logits.labels().orElseThrow());
        assertEquals("y.ply", logits.input(1).orElseThrow());
        assertArrayEquals(new float[] {1, 2, 3.5f}, logits.logits(0));
        logits.checkClasses(ABC);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> logits.checkClasses(List.of("a", "x", "c")));
        assertEquals(file + ": its logits are over other classes than the ones they are fused with: label 1 is 'b' here "
            + "but 'x' there (the class order must match)", e.getMessage());
    }

    @Test
    void malformedJsonLinesNameTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"logits\":[1,2]}\n{\"logits\":[1,2,3]}\n");
        LogitsFile.FormatException e = assertThrows(LogitsFile.FormatException.class, () -> LogitsFile.read(file));
        assertEquals(file + ":2: 3 logits, but the first row has 2", e.getMessage());
        Files.writeString(file, "{\"labels\":[\"a\",\"b\"],\"logits\":[1,2]}\n{\"labels\":[\"b\",\"a\"],\"logits\":[1,2]}\n");
        e = assertThrows(LogitsFile.FormatException.class, () -> LogitsFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: the labels differ from those of line 1"), e.getMessage());
        Files.writeString(file, "{\"logits\":[1,\"x\"]}\n");
        e = assertThrows(LogitsFile.FormatException.class, () -> LogitsFile.read(file));
        assertEquals(file + ":1: logit 1 is \"x\"; logits must be finite numbers", e.getMessage());
        Files.writeString(file, "{\"logits\":[1e39]}\n");
        e = assertThrows(LogitsFile.FormatException.class, () -> LogitsFile.read(file));
        assertTrue(e.getMessage().contains("must be finite"), e.getMessage());
        Files.writeString(file, "not json\n");
        e = assertThrows(LogitsFile.FormatException.class, () -> LogitsFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1: not a JSON object"), e.getMessage());
        Files.writeString(file, "\n\n");
        e = assertThrows(LogitsFile.FormatException.class, () -> LogitsFile.read(file));
        assertTrue(e.getMessage().contains("no logits"), e.getMessage());
    }
}
