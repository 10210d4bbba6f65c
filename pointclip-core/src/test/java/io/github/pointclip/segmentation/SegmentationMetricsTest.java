package io.github.pointclip.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.PartDataset;
import io.github.pointclip.dataset.PartSample;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shape IoU and the aggregates on hand-computed cases, the golden metric examples and shapenetpart-mini. */
class SegmentationMetricsTest {

    private static final double EXACT = 1e-12;

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static JsonNode golden() throws IOException {
        return new ObjectMapper().readTree(SharedData.require("golden/segmentation/metrics.json").toFile());
    }

    @Test
    void partAbsentFromBothCountsOne() {
        // chair has 4 parts; 2 and 3 appear nowhere
        ShapeScore s = ShapeScore.of(ShapeNetPart.category("chair"), new int[] {0, 0, 1}, new int[] {0, 0, 1});
        assertEquals(0, s.union(2));
        assertEquals(1.0, s.partIou(2));
        assertEquals(1.0, s.iou(), EXACT);
        assertEquals(1.0, s.accuracy(), EXACT);
    }

    @Test
    void lampsUnpredictablePartsScoreZeroWhenPresent() {
        // parts 2 and 3 are in the ground truth, but only 0 and 1 can be predicted
        ShapeScore s = ShapeScore.of(ShapeNetPart.category("lamp"), new int[] {0, 0, 1, 1}, new int[] {0, 0, 2, 3});
        assertEquals(4, s.partCount());
        assertEquals(1.0, s.partIou(0));
        assertEquals(0.0, s.partIou(1)); // predicted, absent from the ground truth
        assertEquals(0.0, s.partIou(2));
        assertEquals(0.0, s.partIou(3));
        assertEquals(0.25, s.iou(), EXACT);
        assertEquals(0.5, s.accuracy(), EXACT);
        // and score 1 when absent
        ShapeScore without = ShapeScore.of(ShapeNetPart.category("lamp"), new int[] {0, 1, 1}, new int[] {0, 1, 0});
        assertEquals((0.5 + 0.5 + 1 + 1) / 4, without.iou(), EXACT);
    }

    @Test
    void predictedPartAbsentFromTheTruthScoresZero() {
        ShapeScore s = ShapeScore.of(ShapeNetPart.category("table"), new int[] {0, 0, 0, 1}, new int[] {0, 0, 0, 0});
        assertEquals(3, s.intersection(0));
        assertEquals(4, s.union(0));
        assertEquals(0.0, s.partIou(1));
        assertEquals((0.75 + 0 + 1) / 3, s.iou(), EXACT);
    }

    @Test
    void badInputIsRefusedNamingThePoint() {
        PartCategory mug = ShapeNetPart.category("mug");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ShapeScore.of(mug, new int[] {0, 2}, new int[] {0, 1}));
        assertEquals("point 1 is predicted as part 2, outside 0..1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapeScore.of(mug, new int[] {0, 1}, new int[] {-1, 1}));
        assertEquals("point 0 has ground-truth part -1, outside 0..1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ShapeScore.of(mug, new int[] {0}, new int[] {0, 1}));
        assertEquals("1 predicted labels for 2 points", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShapeScore.of(mug, new int[0], new int[0]));
        assertThrows(IllegalStateException.class, () -> new SegmentationMetrics().result());
    }

    @Test
    void aggregatesByHand() {
        SegmentationMetrics m = new SegmentationMetrics();
        PartCategory chair = ShapeNetPart.category("chair");
        PartCategory mug = ShapeNetPart.category("mug");
        m.add(chair, new int[] {0, 1, 2, 3}, new int[] {0, 1, 2, 3}); // IoU 1, accuracy 1
        m.add(mug, new int[] {0, 0, 0, 0}, new int[] {1, 1, 1, 0}); // part 0: 1/4, part 1: 0 -> 1/8, accuracy 1/4
        m.add(chair, new int[] {0, 0}, new int[] {0, 1}); // 1/2, 0, 1, 1 -> 5/8, accuracy 1/2
        SegmentationResult r = m.result();
        assertEquals(3, r.shapes());
        Map<String, SegmentationResult.CategoryScore> byCategory = r.byCategory();
        assertEquals(List.of("chair", "mug"), List.copyOf(byCategory.keySet()), "order of first appearance");
        assertEquals(100 * (1 + 0.625) / 2, byCategory.get("chair").miou(), EXACT);
        assertEquals(75.0, byCategory.get("chair").accuracy(), EXACT);
        assertEquals(2, byCategory.get("chair").shapes());
        assertEquals(12.5, byCategory.get("mug").miou(), EXACT);
        assertEquals(25.0, byCategory.get("mug").accuracy(), EXACT);
        assertEquals((81.25 + 12.5) / 2, r.classMiou(), EXACT);
        assertEquals(100 * (1 + 0.125 + 0.625) / 3, r.instanceMiou(), EXACT);
        assertEquals(100 * (1 + 0.25 + 0.5) / 3, r.accuracy(), EXACT);
    }

    @Test
    void goldenSingleShapeCases() throws IOException {
        for (JsonNode c : golden().get("single_shape_cases")) {
            String name = c.get("name").asText();
            ShapeScore s = ShapeScore.of(ShapeNetPart.category(c.get("category").asText()), ints(c.get("pred")),
                ints(c.get("gt")));
            JsonNode parts = c.get("parts");
            assertEquals(parts.size(), s.partCount(), name);
            for (JsonNode p : parts) {
                int part = p.get("part").asInt();
                assertEquals(p.get("intersection").asInt(), s.intersection(part), name + " part " + part);
                assertEquals(p.get("union").asInt(), s.union(part), name + " part " + part);
                assertEquals(p.get("iou").asDouble(), s.partIou(part), 1e-9, name + " part " + part);
            }
            assertEquals(c.get("shape_iou").asDouble(), s.iou(), 1e-9, name);
        }
    }

    @Test
    void goldenDatasetCase() throws IOException {
        JsonNode dataset = golden().get("dataset_case");
        SegmentationMetrics m = new SegmentationMetrics();
        for (JsonNode shape : dataset.get("shapes")) {
            ShapeScore s = m.add(ShapeNetPart.category(shape.get("category").asText()), ints(shape.get("pred")),
                ints(shape.get("gt")));
            assertEquals(shape.get("shape_iou").asDouble(), s.iou(), 1e-9);
        }
        JsonNode expected = dataset.get("expected");
        SegmentationResult r = m.result();
        assertEquals(expected.get("shapes").asInt(), r.shapes());
        assertEquals(expected.get("class_miou").asDouble(), r.classMiou(), 1e-9);
        assertEquals(expected.get("instance_miou").asDouble(), r.instanceMiou(), 1e-9);
        assertEquals(expected.get("accuracy").asDouble(), r.accuracy(), 1e-9);
        JsonNode per = expected.get("per_category");
        assertEquals(per.size(), r.perCategory().size());
        for (SegmentationResult.CategoryScore c : r.perCategory()) {
            JsonNode want = per.get(c.category());
            assertEquals(want.get("miou").asDouble(), c.miou(), 1e-9, c.category());
            assertEquals(want.get("accuracy").asDouble(), c.accuracy(), 1e-9, c.category());
            assertEquals(want.get("shapes").asInt(), c.shapes(), c.category());
        }
    }

    /** The checks shapenetpart-mini's README gives: the truth scores 100; part 0 everywhere scores its formula. */
    @Test
    void miniDatasetTruthAndAllPartZero() throws IOException {
        PartDataset test = Datasets.shapeNetPart(SharedData.require("data/shapenetpart-mini"), Split.TEST);
        SegmentationMetrics truth = new SegmentationMetrics();
        SegmentationMetrics zero = new SegmentationMetrics();
        for (int i = 0; i < test.size(); i++) {
            PartSample s = test.getParts(i);
            truth.add(s.category(), s.parts(), s.parts());
            ShapeScore z = zero.add(s.category(), new int[s.size()], s.parts());
            int segNum = s.category().partCount();
            int[] counts = new int[segNum];
            for (int p : s.parts()) {
                counts[p]++;
            }
            int absent = 0;
            for (int p = 1; p < segNum; p++) {
                absent += counts[p] == 0 ? 1 : 0;
            }
            assertEquals(((double) counts[0] / s.size() + absent) / segNum, z.iou(), 1e-12, s.id());
            assertEquals((double) counts[0] / s.size(), z.accuracy(), 1e-12, s.id());
        }
        SegmentationResult r = truth.result();
        assertEquals(20, r.shapes());
        assertEquals(100.0, r.classMiou(), EXACT);
        assertEquals(100.0, r.instanceMiou(), EXACT);
        assertEquals(100.0, r.accuracy(), EXACT);
        assertEquals(16, r.perCategory().size());
    }
}
