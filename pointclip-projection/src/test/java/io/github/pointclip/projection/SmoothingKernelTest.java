package io.github.pointclip.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.projection.kernel.ExponentialKernel;
import io.github.pointclip.projection.kernel.GaussianKernel;
import io.github.pointclip.projection.kernel.MishKernel;
import io.github.pointclip.projection.kernel.RadialKernel;
import io.github.pointclip.projection.kernel.SigmoidKernel;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothingKernelTest {

    @Test
    void builtInKernelsAreNormalisedSymmetricAndDecreasing() {
        for (RadialKernel k : List.of(new GaussianKernel(5, 1.5), new ExponentialKernel(5, 1.5),
            new MishKernel(5, 1.5), new SigmoidKernel(5, 1.5))) {
            float[] w = k.weights();
            double sum = 0;
            for (float f : w) {
                sum += f;
            }
            assertEquals(1.0, sum, 1e-6, k.description());
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(w[i * 5 + j], w[j * 5 + i], 0f, k + " transpose symmetry");
                    assertEquals(w[i * 5 + j], w[(4 - i) * 5 + (4 - j)], 0f, k + " point symmetry");
                }
            }
            assertTrue(w[12] > w[13] && w[13] > w[14] && w[13] > w[18], k + " decreases with distance");
        }
    }

    @Test
    void profilesMatchTheirFormulas() {
        // ratio of the corner tap (d = √2) to the centre tap (d = 0) of a 3×3 kernel
        double s = 2.0;
        assertEquals(Math.exp(-2 / (2 * s * s)), ratio(new GaussianKernel(3, s)), 1e-6);
        assertEquals(Math.exp(-Math.sqrt(2) / s), ratio(new ExponentialKernel(3, s)), 1e-6);
        assertEquals((2 / (1 + Math.exp(Math.sqrt(2) / s))) / 1.0, ratio(new SigmoidKernel(3, s)), 1e-6);
        double mishGate = Math.tanh(Math.log1p(Math.exp(-Math.sqrt(2) / s)));
        assertEquals(mishGate / Math.tanh(Math.log(2)), ratio(new MishKernel(3, s)), 1e-6);
    }

    @Test
    void referenceGaussianHasTheKnownWeights() {
        // 3×3, σ = 3: centre 1/(1 + 4e^(-1/18) + 4e^(-1/9))
        double e1 = Math.exp(-1.0 / 18), e2 = Math.exp(-2.0 / 18);
        double centre = 1 / (1 + 4 * e1 + 4 * e2);
        float[] w = io.github.pointclip.projection.kernel.SmoothingKernel.pointClipV2().weights();
        assertEquals(centre, w[4], 1e-7);
        assertEquals(centre * e2, w[0], 1e-7);
    }

    private static double ratio(RadialKernel k) {
        float[] w = k.weights();
        return w[0] / (double) w[4];
    }
}
