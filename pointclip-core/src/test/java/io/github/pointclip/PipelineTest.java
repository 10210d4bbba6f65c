package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.ViewRig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pipeline identity by value, with test projectors (the presets are tested in pointclip-projection). */
class PipelineTest {

    /** A projector whose parameters are whatever the test says. */
    static final class ParameterisedProjector implements Projector {
        final Projector shape = new PointClipFacadeTest.TinyProjector();
        final Map<String, String> parameters;

        ParameterisedProjector(Map<String, String> parameters) {
            this.parameters = parameters;
        }

        @Override
        public String name() {
            return "param";
        }

        @Override
        public ViewRig views() {
            return shape.views();
        }

        @Override
        public int height() {
            return 2;
        }

        @Override
        public int width() {
            return 2;
        }

        @Override
        public float[] projectInto(PointCloud cloud, float[] out) {
            return shape.projectInto(cloud, out);
        }

        @Override
        public Map<String, String> parameters() {
            return parameters;
        }
    }

    @Test
    void theFingerprintIsTheCanonicalTextOfEveryValue() {
        Pipeline p = Pipeline.of("tiny", new PointClipFacadeTest.TinyProjector(), "a {}.").withViewWeights(0.75f, -0f);
        assertEquals("projector: \"tiny\" io.github.pointclip.PointClipFacadeTest$TinyProjector 2x2x2\n"
            + "parameters: {}\n"
            + "template: \"a {}.\"\n"
            + "view weights: [0.75, -0.0]\n"
            + "points per cloud: 1024", p.fingerprint());
        // parameters sorted by name, whatever the map's order; values quoted so none can forge a line
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("b", "2");
        forward.put("a", "say \"1\"\npoints per cloud: 0");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("a", "say \"1\"\npoints per cloud: 0");
        backward.put("b", "2");
        Pipeline f = Pipeline.of("x", new ParameterisedProjector(forward), "{}");
        Pipeline b = Pipeline.of("y", new ParameterisedProjector(backward), "{}");
        assertEquals(f, b, "the label is no part of the value");
        assertEquals(f.hashCode(), b.hashCode());
        assertTrue(f.fingerprint().contains("parameters: {\"a\"=\"say \\\"1\\\"\\u000apoints per cloud: 0\", \"b\"=\"2\"}"),
            f.fingerprint());
        assertEquals(5, f.fingerprint().split("\n").length);
    }

    @Test
    void everyValueTakesPartInEquality() {
        Pipeline base = Pipeline.of("p", new ParameterisedProjector(Map.of("kernel", "gauss 3 1.0")), "a {}.");
        List<Pipeline> others = List.of(
            Pipeline.of("p", new ParameterisedProjector(Map.of("kernel", "gauss 5 1.0")), "a {}."),
            Pipeline.of("p", new PointClipFacadeTest.TinyProjector(), "a {}."),
            base.withTemplate("an {}."),
            base.withViewWeights(1f, 0.5f),
            base.withViewWeights(1f, Math.nextUp(1f)),
            base.withPointsPerCloud(0),
            base.withPointsPerCloud(2048));
        List<String> differ = List.of("parameters", "parameters, projector", "template", "view weights",
            "view weights", "points per cloud", "points per cloud");
        for (int i = 0; i < others.size(); i++) {
            assertNotEquals(base, others.get(i), others.get(i).toString());
            assertEquals(differ.get(i), String.join(", ", Pipeline.differences(base.fingerprint(),
                others.get(i).fingerprint())));
        }
        assertEquals(base, base.withPointsPerCloud(0).withPointsPerCloud(1024));
        assertEquals(base, base.withViewWeights(1f, 1f), "equal weights are the default");
        assertEquals(List.of(), Pipeline.differences(base.fingerprint(), base.fingerprint()));
    }

    @Test
    void aPipelineThatIsNoPresetIsNamedCustom() {
        // core alone has no projectors, so no preset can be built and nothing equals one
        Pipeline p = Pipeline.of("tiny", new PointClipFacadeTest.TinyProjector(), "a {}.");
        assertEquals("tiny+custom", p.name());
        assertFalse(p.isPreset());
        assertEquals("tiny+custom", p.withViewWeights(2f, 1f).name());
        assertEquals("tiny+custom", Pipeline.of("tiny+custom", new PointClipFacadeTest.TinyProjector(), "{}").name());
        assertEquals("v2+custom", Pipeline.of("v2", new PointClipFacadeTest.TinyProjector(), "{}").name(),
            "a preset's name is not taken by a pipeline that is not the preset");
        assertTrue(p.toString().contains("tiny+custom") && p.toString().contains("first 1024 points"), p.toString());
    }

    @Test
    void badSettingsAreRefused() {
        Pipeline p = Pipeline.of("tiny", new PointClipFacadeTest.TinyProjector(), "a {}.");
        assertEquals("points per cloud must be >= 0 (0 = all points), got -1",
            assertThrows(IllegalArgumentException.class, () -> p.withPointsPerCloud(-1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.withTemplate("no placeholder"));
        assertThrows(IllegalArgumentException.class, () -> p.withViewWeights(1f, Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> p.withViewWeights(1f));
        assertThrows(IllegalArgumentException.class, () -> Pipeline.preset("v3"));
    }
}
