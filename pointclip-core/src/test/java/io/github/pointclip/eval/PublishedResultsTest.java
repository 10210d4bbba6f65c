package io.github.pointclip.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishedResultsTest {

    static Provenance run(String dataset, String pipeline, String backbone, String adapter, int shots) {
        String split = dataset.split("/")[1];
        return new Provenance("development", "model", backbone, "cpu", pipeline, pipeline, Map.of(), List.of(1f),
            "hash", dataset, split, 1024, 2468, 2468, adapter, shots, "identity");
    }

    @Test
    void theThreePublishedSettingsMatch() {
        assertEquals(64.22, PublishedResults.match(run("modelnet40/test", "v2", "ViT-B/16", null, 0)).get().accuracy());
        assertEquals(20.18, PublishedResults.match(run("modelnet40/test", "v1", "RN50", null, 0)).get().accuracy());
        // the few-shot setting is PointCLIP's 10-view few-shot projection with a 16-shot adapter
        assertEquals(86.71, PublishedResults.match(run("modelnet40/test", "v1-fewshot", "RN101", "a.ckpt", 16)).get()
            .accuracy());
        // backbone names are compared leniently
        assertTrue(PublishedResults.match("modelnet40", "test", "v2", "vit_b16", 0).isPresent());
    }

    @Test
    void anyDifferenceInTheSettingMeansNoFigure() {
        assertFalse(PublishedResults.match(run("modelnet40/test", "v1", "ViT-B/16", null, 0)).isPresent(), "pipeline");
        assertFalse(PublishedResults.match(run("modelnet40/test", "v2", "RN50", null, 0)).isPresent(), "backbone");
        assertFalse(PublishedResults.match(run("modelnet40/train", "v2", "ViT-B/16", null, 0)).isPresent(), "split");
        assertFalse(PublishedResults.match(run("scanobjectnn-pb_t50_rs/test", "v2", "ViT-B/16", null, 0)).isPresent());
        assertFalse(PublishedResults.match(run("modelnet40/test", "v2", null, null, 0)).isPresent(), "unknown backbone");
        assertFalse(PublishedResults.match(run("modelnet40/test", "v1", "RN101", null, 0)).isPresent(), "zero-shot");
        assertFalse(PublishedResults.match(run("modelnet40/test", "v1-fewshot", "RN101", "a.ckpt", 8)).isPresent(),
            "8 shots");
        assertFalse(PublishedResults.match(run("modelnet40/test", "v1", "RN101", "a.ckpt", 16)).isPresent(),
            "the 6-view zero-shot projection");
        assertFalse(PublishedResults.match(run("modelnet40/test", "v1", "RN50", "a.ckpt", 0)).isPresent(),
            "an adapter of unknown shots is not zero-shot");
        assertFalse(PublishedResults.match(run("modelnet40/test", "v1-fewshot", "RN50", "a.ckpt", 16)).isPresent(),
            "adapter on RN50");
        // shots without an adapter count as zero-shot
        assertTrue(PublishedResults.match(run("modelnet40/test", "v1", "RN50", null, 16)).isPresent());
    }

    @Test
    void provenanceKnowsWhetherTheWholeDatasetRan() {
        assertTrue(run("modelnet40/test", "v2", "ViT-B/16", null, 0).wholeDataset());
        Provenance limited = new Provenance("development", "model", "ViT-B/16", "cpu", "v2", "v2", Map.of(),
            List.of(1f), "hash", "modelnet40/test", "test", 1024, 10, 2468, null, 0, "identity");
        assertFalse(limited.wholeDataset());
        assertEquals("modelnet40", limited.datasetFamily());
        PublishedResults.Entry v2 = PublishedResults.match(limited).orElseThrow();
        assertTrue(PublishedResults.comparable(v2, run("modelnet40/test", "v2", "ViT-B/16", null, 0)));
        assertFalse(PublishedResults.comparable(v2, limited), "a limited run");
        Provenance mini = new Provenance("development", "model", "ViT-B/16", "cpu", "v2", "v2", Map.of(),
            List.of(1f), "hash", "modelnet40/test", "test", 1024, 87, 87, null, 0, "identity");
        assertFalse(PublishedResults.comparable(v2, mini), "a sample of the test split in the release layout");
        Provenance allPoints = new Provenance("development", "model", "ViT-B/16", "cpu", "v2", "v2", Map.of(),
            List.of(1f), "hash", "modelnet40/test", "test", 0, 2468, 2468, null, 0, "identity");
        assertFalse(PublishedResults.comparable(v2, allPoints), "all 2048 points");
    }
}
