package io.github.pointclip.crosspoint.internal;

import static io.github.pointclip.crosspoint.internal.GradCheck.check;
import static io.github.pointclip.crosspoint.internal.GradCheck.random;
import static io.github.pointclip.crosspoint.internal.GradCheck.weightedSum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.PointOps;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.crosspoint.EncoderConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The two backbones and heads: gradients end to end, shapes, permutation invariance, state dicts. */
class CrossPointNetTest {
    private static final EncoderConfig SMALL_POINTNET = EncoderConfig.pointNet().withWidths(new int[] {4, 5}, 6, 5);
    private static final EncoderConfig SMALL_DGCNN = EncoderConfig.dgcnn().withWidths(new int[] {4, 3}, 5, 4).withK(3);

    @Test
    void pointNetGradientsEndToEnd() {
        CrossPointNet net = new CrossPointNet(SMALL_POINTNET, 3, Precision.DOUBLE, new SplittableRandom(1));
        Tensor xyz = random(2 * 6, 3, 5, true);
        Tensor[] params = net.parameters().values().toArray(Tensor[]::new);
        Tensor[] inputs = new Tensor[params.length + 1];
        System.arraycopy(params, 0, inputs, 0, params.length);
        inputs[params.length] = xyz;
        check("PointNet", 1e-5, weightedSum(() -> {
            Tensor f = net.features(xyz, 6, true);
            return PointOps.concatCols(net.imid(f, true), net.cmid(f, true));
        }, 3), inputs);
    }

    @Test
    void dgcnnGradientsEndToEnd() {
        CrossPointNet net = new CrossPointNet(SMALL_DGCNN, 3, Precision.DOUBLE, new SplittableRandom(2));
        // the graph of the first layer is fixed by the coordinates; the parameters move only later graphs, and a
        // step of 1e-5 does not reorder neighbours here
        Tensor xyz = random(2 * 7, 3, 6, false);
        check("DGCNN", 1e-5, weightedSum(() -> {
            Tensor f = net.features(xyz, 7, true);
            return PointOps.concatCols(net.imid(f, true), net.cmid(f, true));
        }, 4), net.parameters().values().toArray(Tensor[]::new));
    }

    @Test
    void featuresHaveTheirWidthsAndIgnorePointOrder() {
        for (EncoderConfig c : new EncoderConfig[] {SMALL_POINTNET, SMALL_DGCNN}) {
            CrossPointNet net = new CrossPointNet(c, 3, Precision.DOUBLE, new SplittableRandom(3));
            Tensor xyz = random(8, 3, 7, false);
            Tensor f = net.features(xyz, 8, false);
            assertEquals(1, f.rows());
            assertEquals(c.featureDim(), f.cols());
            // reversed point order, same cloud: the same global feature (max/mean pools, k-NN graph)
            Tensor reversed = Tensor.zeros(Precision.DOUBLE, 8, 3);
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 3; j++) {
                    reversed.set(i * 3 + j, xyz.get(7 - i, j));
                }
            }
            assertArrayEquals(f.toDoubleArray(), net.features(reversed, 8, false).toDoubleArray(), 1e-12, c.kind());
            assertEquals(256, net.imid(f, false).cols());
            assertEquals(3, net.cmid(f, false).cols());
        }
    }

    @Test
    void stateDictRoundTripsAndUsesTheReferenceLayout() {
        CrossPointNet a = new CrossPointNet(SMALL_DGCNN, 3, Precision.FLOAT, new SplittableRandom(4));
        CrossPointNet b = new CrossPointNet(SMALL_DGCNN, 3, Precision.FLOAT, new SplittableRandom(5));
        Map<String, StateTensor> state = a.stateDict();
        // EdgeConv weights as the reference's conv: [out, 2·in]; batch-norm vectors as [C]
        assertArrayEquals(new int[] {4, 6}, state.get("backbone.conv1.weight").shape());
        assertArrayEquals(new int[] {3, 8}, state.get("backbone.conv2.weight").shape());
        assertArrayEquals(new int[] {5, 7}, state.get("backbone.conv3.weight").shape());
        assertArrayEquals(new int[] {4}, state.get("backbone.bn1.running_var").shape());
        b.loadState(state);
        Tensor xyz = Tensor.fromFloats(6, 3, new float[] {0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1});
        assertArrayEquals(Ops.relu(a.features(xyz, 6, false)).toFloatArray(),
                Ops.relu(b.features(xyz, 6, false)).toFloatArray());
        Map<String, StateTensor> broken = new LinkedHashMap<>(state);
        broken.remove("inv_head.3.bias");
        assertThrows(IllegalArgumentException.class, () -> b.loadState(broken));
        broken.put("inv_head.3.bias", new StateTensor(new int[] {3}, new float[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadState(broken));
        assertEquals("tensor 'inv_head.3.bias' has shape [3], expected [256]", e.getMessage());
    }
}
