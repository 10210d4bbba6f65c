package io.github.pointclip.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionMetricsTest {

    private static final Box G1 = Box.of(0, 0, 0, 2, 2, 2);
    private static final Box G2 = Box.of(10, 0, 0, 2, 2, 2);

    private static Detection det(Box b, String label, double score) {
        return Detection.of(b, label, score);
    }

    @Test
    void vocAreaUnderTheInterpolatedCurve() {
        // precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1: the envelope is 1 up to recall 1/2, then 2/3
        assertEquals(0.5 + 0.5 * 2 / 3.0, DetectionMetrics.averagePrecision(new double[] {0.5, 0.5, 1},
            new double[] {1, 0.5, 2 / 3.0}), 1e-12);
        assertEquals(0.0, DetectionMetrics.averagePrecision(new double[0], new double[0]), 0);
        // recall stuck at 1/3 with precision 1: the rest of the curve is 0
        assertEquals(1 / 3.0, DetectionMetrics.averagePrecision(new double[] {1 / 3.0}, new double[] {1}), 1e-12);
    }

    @Test
    void aSecondDetectionOfTheSameBoxIsAFalsePositive() {
        DetectionMetrics m = new DetectionMetrics(List.of("chair"), 0.25, 0.5);
        m.add(List.of(new LabelledBox(G1, "chair"), new LabelledBox(G2, "chair")),
            List.of(det(G1, "chair", 0.9), det(G1, "chair", 0.8), det(G2, "chair", 0.7)));
        DetectionMetrics.Result r = m.result();
        assertEquals(0.5 + 0.5 * 2 / 3.0, r.ap("chair", 0.25), 1e-12);
        assertEquals(0.5 + 0.5 * 2 / 3.0, r.ap("chair", 0.5), 1e-12);
        assertEquals(2, r.groundTruth("chair"));
        assertEquals(1, r.scenes());
    }

    @Test
    void theBestOverlappingBoxDecidesEvenWhenItIsTaken() {
        // two ground-truth boxes side by side; the second detection overlaps the taken first box most,
        // and the free second box enough for 0.25: still a false positive (VoteNet's rule)
        Box a = Box.of(0, 0, 0, 2, 2, 2);
        Box b = Box.of(1.2, 0, 0, 2, 2, 2);
        Box d2 = Box.of(0.5, 0, 0, 2, 2, 2);
        double toA = BoxOverlap.iou(d2, a);
        double toB = BoxOverlap.iou(d2, b);
        assertEquals(true, toA > toB && toB > 0.25, toA + " " + toB);
        DetectionMetrics m = new DetectionMetrics(List.of("chair"), 0.25);
        m.add(List.of(new LabelledBox(a, "chair"), new LabelledBox(b, "chair")),
            List.of(det(a, "chair", 0.9), det(d2, "chair", 0.8)));
        // precision 1, 1/2; recall 1/2, 1/2: AP 1/2
        assertEquals(0.5, m.result().ap("chair", 0.25), 1e-12);
    }

    @Test
    void theThresholdIsStrict() {
        Box half = Box.of(0, 0, -0.5, 2, 2, 1); // the lower half of G1: IoU exactly 1/2
        assertEquals(0.5, BoxOverlap.iou(G1, half), 0);
        DetectionMetrics m = new DetectionMetrics(List.of("bed"), 0.25, 0.5);
        m.add(List.of(new LabelledBox(G1, "bed")), List.of(det(half, "bed", 1)));
        assertEquals(1.0, m.result().ap("bed", 0.25), 0);
        assertEquals(0.0, m.result().ap("bed", 0.5), 0);
    }

    @Test
    void tiesKeepTheOrderTheDetectionsWereAddedIn() {
        Box miss = Box.of(50, 50, 50, 1, 1, 1);
        DetectionMetrics missFirst = new DetectionMetrics(List.of("sofa"), 0.25);
        missFirst.add(List.of(new LabelledBox(G1, "sofa")), List.of(det(miss, "sofa", 0.5), det(G1, "sofa", 0.5)));
        assertEquals(0.5, missFirst.result().ap("sofa", 0.25), 1e-12);
        DetectionMetrics hitFirst = new DetectionMetrics(List.of("sofa"), 0.25);
        hitFirst.add(List.of(new LabelledBox(G1, "sofa")), List.of(det(G1, "sofa", 0.5), det(miss, "sofa", 0.5)));
        assertEquals(1.0, hitFirst.result().ap("sofa", 0.25), 1e-12);
    }

    @Test
    void classesWithoutGroundTruthAreLeftOutAndClassesWithoutDetectionsScoreZero() {
        DetectionMetrics m = new DetectionMetrics(List.of("chair", "table", "toilet"), 0.25, 0.5);
        // scene 0: a chair found; scene 1: a table nobody found, and a toilet detection without any toilet
        m.add(List.of(new LabelledBox(G1, "chair")), List.of(det(G1, "chair", 0.9)));
        m.add(List.of(new LabelledBox(G2, "table")), List.of(det(G2, "toilet", 0.9), det(G1, "lamp", 0.9)));
        DetectionMetrics.Result r = m.result();
        assertEquals(List.of("chair", "table"), r.classes());
        assertEquals(1.0, r.ap("chair", 0.25), 0);
        assertEquals(0.0, r.ap("table", 0.25), 0);
        assertEquals(0.5, r.meanAp(0.25), 1e-12);
        assertEquals(0.5, r.meanAp(0.5), 1e-12);
        assertEquals(2, r.scenes());
        assertThrows(IllegalArgumentException.class, () -> r.ap("toilet", 0.25));
        assertThrows(IllegalArgumentException.class, () -> r.meanAp(0.7));
    }

    @Test
    void aDetectionOnlyMatchesGroundTruthOfItsOwnScene() {
        DetectionMetrics m = new DetectionMetrics(List.of("chair"), 0.25);
        m.add(List.of(new LabelledBox(G1, "chair")), List.of());
        m.add(List.of(), List.of(det(G1, "chair", 0.9))); // the same box, but in another scene
        assertEquals(0.0, m.result().ap("chair", 0.25), 0);
        assertEquals(0.0, new DetectionMetrics(List.of("chair"), 0.25).result().meanAp(0.25), 0);
    }
}
