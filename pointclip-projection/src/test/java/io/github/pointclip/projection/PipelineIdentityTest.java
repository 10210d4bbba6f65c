package io.github.pointclip.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.Pipeline;
import io.github.pointclip.eval.Provenance;
import io.github.pointclip.eval.PublishedResults;
import io.github.pointclip.projection.kernel.GaussianKernel;
import io.github.pointclip.prompt.PromptSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pipelines are identified by value, with the real presets: a V2 pipeline with another kernel, template,
 * view weights or points per cloud is neither named, nor matched with the published figure, as the reference V2.
 */
class PipelineIdentityTest {

    /** PointCLIP V2's ViT-B/16 view weights, as published in the reference's configuration. */
    private static final float[] V2_WEIGHTS = {0.75f, 0.75f, 0.75f, 0.25f, 0.75f, 1.0f, 0.25f, 1.0f, 0.75f, 0.25f};

    @Test
    void aRecordedPipelineIsRebuiltFromItsFingerprintUnlessItsProjectorChanged() {
        Pipeline custom = Pipeline.v1FewShot().withPointsPerCloud(512).withTemplate("a \"{}\"\tdepth map.")
            .withViewWeights(0.25f, 1f, -0f, 1e-7f, 3f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f);
        assertEquals("v1-fewshot+custom", custom.name());
        Pipeline rebuilt = Pipeline.rebuild(custom.name(), custom.fingerprint()).orElseThrow();
        assertEquals(custom, rebuilt);
        assertEquals(custom.fingerprint(), rebuilt.fingerprint());
        assertEquals(Pipeline.v2(), Pipeline.rebuild("v2", Pipeline.v2().fingerprint()).orElseThrow());

        Pipeline otherKernel = Pipeline.v2().withProjector(RealisticProjector.pointClipV2().toBuilder()
            .kernel(new GaussianKernel(5, 1.0)).build());
        assertTrue(Pipeline.rebuild(otherKernel.name(), otherKernel.fingerprint()).isEmpty(), "a kernel is no text");
        assertTrue(Pipeline.rebuild("tiny+custom", custom.fingerprint()).isEmpty(), "no preset named tiny");
        assertTrue(Pipeline.rebuild("v2", "not a fingerprint").isEmpty());
    }

    @Test
    void presetsAreEqualByValueAndKeepTheirNames() {
        assertEquals(Pipeline.v2(), Pipeline.v2());
        assertEquals(Pipeline.v2().hashCode(), Pipeline.v2().hashCode());
        assertEquals(Pipeline.v2().fingerprint(), Pipeline.v2().fingerprint());
        assertEquals("v2", Pipeline.v2().name());
        assertEquals("v1", Pipeline.v1().name());
        assertEquals("v1-fewshot", Pipeline.v1FewShot().name());
        assertNotEquals(Pipeline.v1(), Pipeline.v1FewShot(), "same projector kind, other views and size");
        assertNotEquals(Pipeline.v1(), Pipeline.v2());
        assertEquals(1024, Pipeline.v2().pointsPerCloud());
        assertTrue(Pipeline.v2().isPreset());
    }

    @Test
    void everyParameterTakesAPipelineAwayFromThePreset() {
        Pipeline v2 = Pipeline.v2();
        float[] weights = V2_WEIGHTS.clone();
        weights[3] = 0.5f;
        Pipeline kernel = v2.withProjector(RealisticProjector.pointClipV2().toBuilder()
            .kernel(new GaussianKernel(5, 1.0)).build());
        List<Pipeline> modified = List.of(kernel, v2.withViewWeights(weights), v2.withTemplate("a depth map of a {}."),
            v2.withPointsPerCloud(0), v2.withPointsPerCloud(2048));
        List<String> differ = List.of("parameters", "view weights", "template", "points per cloud", "points per cloud");
        for (int i = 0; i < modified.size(); i++) {
            Pipeline p = modified.get(i);
            assertNotEquals(v2, p, p.toString());
            assertNotEquals(v2.fingerprint(), p.fingerprint());
            assertEquals("v2+custom", p.name(), p.toString());
            assertFalse(p.isPreset());
            assertEquals(List.of(differ.get(i)), Pipeline.differences(v2.fingerprint(), p.fingerprint()), p.toString());
        }
    }

    @Test
    void aNameIsDerivedFromTheValueNotFromTheLabel() {
        // built by hand to the preset's values: it is the preset, whatever it was called
        Pipeline same = Pipeline.of("mine", RealisticProjector.pointClipV2(), PromptSet.POINTCLIP_TEMPLATE)
            .withViewWeights(V2_WEIGHTS);
        assertEquals(Pipeline.v2(), same);
        assertEquals("v2", same.name());
        // called v2 but not V2's values: marked custom
        Pipeline claims = Pipeline.of("v2", RealisticProjector.pointClipV2(), PromptSet.POINTCLIP_TEMPLATE);
        assertEquals("v2+custom", claims.name());
        // a modification undone is the preset again
        assertEquals("v2", Pipeline.v2().withPointsPerCloud(0).withPointsPerCloud(1024).name());
        assertEquals("v2+custom", Pipeline.v2().withPointsPerCloud(0).withTemplate("{}").name());
        // weights compared bit for bit: -0 is not +0
        float[] zero = new float[6];
        float[] negativeZero = new float[6];
        negativeZero[0] = -0f;
        assertNotEquals(Pipeline.v1().withViewWeights(zero), Pipeline.v1().withViewWeights(negativeZero));
    }

    @Test
    void publishedFiguresMatchThePresetByValueOnly() {
        assertTrue(PublishedResults.match("modelnet40", "test", Pipeline.v2(), "ViT-B/16", 0).isPresent());
        float[] weights = V2_WEIGHTS.clone();
        weights[0] = 1f;
        assertFalse(PublishedResults.match("modelnet40", "test", Pipeline.v2().withViewWeights(weights), "ViT-B/16", 0)
            .isPresent(), "other view weights");
        Pipeline kernel = Pipeline.v2().withProjector(RealisticProjector.pointClipV2().toBuilder()
            .kernel(new GaussianKernel(5, 1.0)).build());
        assertFalse(PublishedResults.match("modelnet40", "test", kernel, "ViT-B/16", 0).isPresent(), "another kernel");
        assertFalse(PublishedResults.match("modelnet40", "test", Pipeline.v2().withTemplate("a {}."), "ViT-B/16", 0)
            .isPresent(), "another template");

        assertTrue(PublishedResults.match(provenance(Pipeline.v2(), Pipeline.v2())).isPresent());
        // a record that names v2 but carries other values (e.g. written by hand or by an older version) does not match
        assertFalse(PublishedResults.match(provenance(Pipeline.v2(), Pipeline.v2().withViewWeights(weights)))
            .isPresent(), "view weights recorded");
        assertFalse(PublishedResults.match(provenance(Pipeline.v2(), kernel)).isPresent(), "kernel recorded");
        assertFalse(PublishedResults.match(provenance(kernel, kernel)).isPresent(), "v2+custom");
    }

    /** A provenance record named after {@code named} with the values of {@code values}. */
    private static Provenance provenance(Pipeline named, Pipeline values) {
        List<Float> w = new ArrayList<>();
        for (float f : values.viewWeights()) {
            w.add(f);
        }
        return new Provenance("development", "model", "ViT-B/16", "cpu", named.name(), values.projector().name(),
            values.projector().parameters(), w, "hash", "modelnet40/test", "test", 1024, 2468, 2468, null, 0, "identity");
    }
}
