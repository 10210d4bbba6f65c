package io.github.pointclip.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final List<String> CLASSES = List.of("a", "b", "c", "d");

    @Test
    void confusionAndAccuraciesMatchAHandComputedCase() {
        //                 a  a  a  b  b  b  c  c  c  c
        int[] labels = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2};
        int[] preds = {0, 1, 0, 1, 0, 3, 2, 2, 1, 2};
        EvaluationResult r = EvaluationResult.of(CLASSES, labels, preds);
        int[][] want = {
            {2, 1, 0, 0},
            {1, 1, 0, 1},
            {0, 1, 3, 0},
            {0, 0, 0, 0}, // d has no samples, but one sample was predicted as d (column)
        };
        for (int c = 0; c < 4; c++) {
            assertArrayEquals(want[c], r.confusion()[c], "row " + c);
        }
        assertEquals(6 / 10.0, r.accuracy(), 1e-12);
        double[] per = r.perClassAccuracy();
        assertEquals(2 / 3.0, per[0], 1e-12);
        assertEquals(1 / 3.0, per[1], 1e-12);
        assertEquals(3 / 4.0, per[2], 1e-12);
        assertTrue(Double.isNaN(per[3]), "a class without samples has no accuracy");
        // mean over the classes that have samples: (2/3 + 1/3 + 3/4) / 3
        assertEquals(7 / 12.0, r.meanClassAccuracy(), 1e-12);
        assertArrayEquals(new int[] {3, 3, 4, 0}, r.classCounts());
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(r.perClass().keySet()));
        assertEquals(List.of(0, 2, 3, 6, 7, 9), r.correct());
        assertEquals(List.of(1, 4, 5, 8), r.wrong());
    }

    @Test
    void meanClassAccuracyWeighsClassesEquallyNotSamples() {
        // 8 samples of class 0 all right, 2 of class 1 all wrong: overall 0.8, mean class 0.5
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        int[] preds = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        EvaluationResult r = EvaluationResult.of(List.of("x", "y"), labels, preds);
        assertEquals(0.8, r.accuracy(), 1e-12);
        assertEquals(0.5, r.meanClassAccuracy(), 1e-12);
        assertArrayEquals(new int[][] {{8, 0}, {2, 0}}, r.confusion());
    }

    @Test
    void perfectAndEmptyAndInvalid() {
        EvaluationResult perfect = EvaluationResult.of(CLASSES, new int[] {3, 1, 1}, new int[] {3, 1, 1});
        assertEquals(1.0, perfect.accuracy());
        assertEquals(1.0, perfect.meanClassAccuracy());
        EvaluationResult empty = EvaluationResult.of(CLASSES, new int[0], new int[0]);
        assertTrue(Double.isNaN(empty.accuracy()));
        assertTrue(Double.isNaN(empty.meanClassAccuracy()));
        assertThrows(IllegalArgumentException.class, () -> EvaluationResult.of(CLASSES, new int[2], new int[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> EvaluationResult.of(CLASSES, new int[] {4}, new int[] {0}));
        assertThrows(IndexOutOfBoundsException.class, () -> EvaluationResult.of(CLASSES, new int[] {0}, new int[] {-1}));
    }

    @Test
    void resultIsImmutable() {
        int[] labels = {0, 1};
        int[] preds = {0, 0};
        EvaluationResult r = EvaluationResult.of(CLASSES, labels, preds);
        labels[0] = 2;
        r.predictions()[0] = 3;
        r.confusion()[0][0] = 99;
        assertArrayEquals(new int[] {0, 1}, r.labels());
        assertArrayEquals(new int[] {0, 0}, r.predictions());
        assertEquals(1, r.confusion()[0][0]);
        assertThrows(UnsupportedOperationException.class, () -> r.perClass().put("a", 0.0));
    }
}
