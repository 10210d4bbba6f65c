package io.github.pointclip.spark;

import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.internal.FeatureMath;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.io.ReadOptions;
import io.github.pointclip.prompt.PromptSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of one partition, lazily: reads a group of clouds through Hadoop, runs the readable ones
 * through the executor's shared model in one encoder pass, and emits one output row per input row, in
 * order (the input's columns, then the results, then {@code error}). A file that cannot be read, or a
 * cloud the model refuses, costs its own row only.
 */
final class PartitionRunner implements Iterator<Row> {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionRunner.class);

    private final Iterator<Row> input;
    private final int pathIndex;
    private final boolean classify;
    private final boolean embedding;
    private final PointClip clip;
    private final PromptSet prompts;
    private final HadoopClouds reader;
    private final int group;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();

    PartitionRunner(Iterator<Row> input, int pathIndex, PointClipSpec spec, boolean classify, Configuration conf) {
        this.input = input;
        this.pathIndex = pathIndex;
        this.classify = classify;
        this.embedding = !classify || spec.embedding();
        ExecutorModels.Model model = ExecutorModels.get(spec, conf);
        this.clip = model.clip();
        this.prompts = model.prompts();
        this.reader = new HadoopClouds(conf, ReadOptions.builder().samplePoints(spec.points()).seed(spec.seed())
            .dropNonFinite(spec.dropNonFinite()).build());
        int views = clip.pipeline().projector().viewCount();
        this.group = Math.max(1, spec.batchSize() / views);
    }

    @Override
    public boolean hasNext() {
        if (ready.isEmpty() && input.hasNext()) {
            runGroup();
        }
        return !ready.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.removeFirst();
    }

    private void runGroup() {
        List<Row> rows = new ArrayList<>(group);
        List<HadoopClouds.Result> results = new ArrayList<>(group);
        List<PointCloud> clouds = new ArrayList<>(group);
        while (rows.size() < group && input.hasNext()) {
            Row row = input.next();
            String path = row.isNullAt(pathIndex) ? null : row.getString(pathIndex);
            HadoopClouds.Result r = reader.read(path);
            rows.add(row);
            results.add(r);
            if (r.cloud() != null) {
                clouds.add(r.cloud());
            }
        }
        Outputs[] out = new Outputs[rows.size()];
        try {
            Outputs[] done = run(clouds);
            for (int i = 0, k = 0; i < rows.size(); i++) {
                out[i] = results.get(i).cloud() != null ? done[k++] : Outputs.failed(results.get(i).error());
            }
        } catch (IllegalStateException e) {
            throw e; // the model was closed under us: the JVM is going down
        } catch (RuntimeException e) {
            // one cloud the model refuses must not cost the others: run them one by one
            LOG.debug("a group of {} clouds failed ({}); running them one by one", clouds.size(), e.toString());
            for (int i = 0; i < rows.size(); i++) {
                HadoopClouds.Result r = results.get(i);
                if (r.cloud() == null) {
                    out[i] = Outputs.failed(r.error());
                    continue;
                }
                try {
                    out[i] = run(List.of(r.cloud()))[0];
                } catch (IllegalStateException fatal) {
                    throw fatal;
                } catch (RuntimeException one) {
                    String path = rows.get(i).getString(pathIndex);
                    out[i] = Outputs.failed(path + ": " + HadoopClouds.oneLine(one));
                }
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            ready.addLast(row(rows.get(i), out[i]));
        }
    }

    /** One row's results; all null but {@code error} when it failed. */
    private record Outputs(String label, Float score, float[] probabilities, float[] logits, float[] embedding,
                           String error) {
        static Outputs failed(String error) {
            return new Outputs(null, null, null, null, null, error);
        }
    }

    private Outputs[] run(List<PointCloud> clouds) {
        Outputs[] out = new Outputs[clouds.size()];
        if (clouds.isEmpty()) {
            return out;
        }
        float[] features = PipelineStages.imageFeatures(clip, clouds);
        int n = clouds.size();
        int views = clip.pipeline().projector().viewCount();
        int dim = features.length / (n * views);
        float[] logits = null;
        int classes = prompts.size();
        if (classify) {
            float[] text = PipelineStages.textFeatures(clip, prompts);
            logits = PipelineStages.logits(clip, features, n, text, classes);
        }
        float[] weights = clip.pipeline().viewWeights();
        for (int i = 0; i < n; i++) {
            float[] fused = null;
            if (embedding) {
                // as PointClip.embed: each view normalised, weighted by the pipeline's view weights, normalised
                float[] f = new float[views * dim];
                System.arraycopy(features, i * views * dim, f, 0, views * dim);
                FeatureMath.normaliseRows(f, 0, views, dim);
                fused = new float[dim];
                for (int v = 0; v < views; v++) {
                    for (int d = 0; d < dim; d++) {
                        fused[d] += weights[v] * f[v * dim + d];
                    }
                }
                FeatureMath.normaliseRows(fused, 0, 1, dim);
            }
            if (classify) {
                float[] l = new float[classes];
                System.arraycopy(logits, i * classes, l, 0, classes);
                Prediction p = Prediction.of(prompts.classes(), l);
                float[] probabilities = p.probabilities();
                out[i] = new Outputs(p.label(), probabilities[p.labelIndex()], probabilities, l, fused, null);
            } else {
                out[i] = new Outputs(null, null, null, null, fused, null);
            }
        }
        return out;
    }

    private Row row(Row in, Outputs o) {
        int width = in.length();
        Object[] values = new Object[width + (classify ? 4 : 0) + (embedding ? 1 : 0) + 1];
        for (int i = 0; i < width; i++) {
            values[i] = in.get(i);
        }
        int k = width;
        if (classify) {
            values[k++] = o.label();
            values[k++] = o.score();
            values[k++] = o.probabilities();
            values[k++] = o.logits();
        }
        if (embedding) {
            values[k++] = o.embedding();
        }
        values[k] = o.error();
        return RowFactory.create(values);
    }
}
