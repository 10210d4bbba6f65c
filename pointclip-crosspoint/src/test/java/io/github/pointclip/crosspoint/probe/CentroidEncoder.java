package io.github.pointclip.crosspoint.probe;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.encoder.PointEncoder;
import java.util.List;
import java.util.Map;

/** A fake encoder for tests: features = (centroid, spread), embedding = centroid; counts clouds encoded. */
final class CentroidEncoder implements PointEncoder {

    int encoded;

    @Override
    public int embeddingDim() {
        return 3;
    }

    @Override
    public int featureDim() {
        return 4;
    }

    @Override
    public float[] features(List<PointCloud> clouds) {
        float[] out = new float[clouds.size() * 4];
        for (int k = 0; k < clouds.size(); k++) {
            float[] c = centroid(clouds.get(k));
            System.arraycopy(c, 0, out, k * 4, 3);
            out[k * 4 + 3] = clouds.get(k).size();
        }
        encoded += clouds.size();
        return out;
    }

    @Override
    public float[] embed(List<PointCloud> clouds) {
        float[] out = new float[clouds.size() * 3];
        for (int k = 0; k < clouds.size(); k++) {
            System.arraycopy(centroid(clouds.get(k)), 0, out, k * 3, 3);
        }
        encoded += clouds.size();
        return out;
    }

    private static float[] centroid(PointCloud cloud) {
        float[] xyz = cloud.toArray();
        float[] c = new float[3];
        for (int i = 0; i < xyz.length; i++) {
            c[i % 3] += xyz[i] / cloud.size();
        }
        return c;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("encoder", "centroid");
    }
}
