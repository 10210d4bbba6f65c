package io.github.pointclip.adapter.train;

import io.github.pointclip.cloud.PointCloud;
import java.util.List;

/** A deterministic fake encoder: view v of a cloud gets sums of its coordinates, scaled per view; counts calls. */
final class CountingExtractor implements FeatureExtractor {
    private final String id;
    int clouds;

    CountingExtractor(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int views() {
        return 2;
    }

    @Override
    public int dim() {
        return 4;
    }

    @Override
    public float[] extract(List<PointCloud> batch) {
        clouds += batch.size();
        float[] out = new float[batch.size() * 8];
        for (int i = 0; i < batch.size(); i++) {
            PointCloud c = batch.get(i);
            for (int p = 0; p < c.size(); p++) {
                for (int v = 0; v < 2; v++) {
                    out[i * 8 + v * 4] += c.x(p) * (v + 1);
                    out[i * 8 + v * 4 + 1] += c.y(p) * (v + 1);
                    out[i * 8 + v * 4 + 2] += c.z(p) * (v + 1);
                    out[i * 8 + v * 4 + 3] += c.x(p) * c.y(p) + p;
                }
            }
        }
        return out;
    }
}
