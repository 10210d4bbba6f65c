package io.github.pointclip.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One partition's rows without Spark: a cloud the model cannot encode (non-finite features, the
 * IllegalStateException FeatureMath throws) costs its own row after the group is retried one by one,
 * while a model closed under the runner fails the task.
 */
class PartitionRunnerTest {

    @TempDir
    Path dir;

    @AfterEach
    void closeModels() {
        ExecutorModels.closeAll();
    }

    @Test
    void aCloudWithNonFiniteFeaturesCostsItsRowOnlyAndAClosedModelFailsTheTask() throws IOException {
        Path model = TinyClipModels.writeOpenAiBundle(dir.resolve("model"));
        Random random = new Random(3);
        List<PointCloud> clouds = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // the third cloud is the one the (wrapped) encoder answers with NaN: it has 77 points, the others 100
            float[] xyz = new float[3 * (i == 2 ? 77 : 100)];
            for (int k = 0; k < xyz.length; k++) {
                xyz[k] = (float) random.nextGaussian();
            }
            PointCloud c = PointCloud.of(xyz);
            Path f = dir.resolve("cloud" + i + ".npy");
            PointClouds.writeNpy(c, f);
            clouds.add(c);
            rows.add(RowFactory.create(f.toString()));
        }
        // one group of four: the group fails, then each cloud runs alone
        PointClipSpec spec = PointClipSpec.builder().model(model.toString()).labels(List.of("chair", "table"))
            .embedding(true).batchSize(64).threads(1).build();
        Function<List<PointCloud>, float[]> nanFor77 = batch -> {
            PointClip clip = ExecutorModels.get(spec, new Configuration()).clip();
            float[] f = PipelineStages.imageFeatures(clip, batch);
            int per = f.length / batch.size();
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).size() == 77) {
                    Arrays.fill(f, i * per, (i + 1) * per, Float.NaN);
                }
            }
            return f;
        };
        List<Row> out = new ArrayList<>();
        new PartitionRunner(rows.iterator(), 0, spec, true, new Configuration(), nanFor77).forEachRemaining(out::add);

        assertEquals(4, out.size());
        try (PointClip clip = PointClip.builder().model(model).textDiskCache(false).threads(1).build()) {
            for (int i = 0; i < 4; i++) {
                Row r = out.get(i);
                assertEquals(rows.get(i).getString(0), r.getString(0));
                if (i == 2) {
                    String error = r.getString(6);
                    assertTrue(error.startsWith(rows.get(i).getString(0) + ": ") && error.contains("non-finite feature"),
                        error);
                    assertNull(r.get(1));
                    assertNull(r.get(5));
                    continue;
                }
                assertNull(r.get(6), () -> "row " + r);
                assertEquals(clip.classify(clouds.get(i), List.of("chair", "table")).label(), r.getString(1));
                float[] embedding = (float[]) r.get(5); // the encoder turns it into an array column
                assertArrayEquals(clip.embed(clouds.get(i)).fused(), embedding, 1e-5f);
            }
        }

        // the model closed under a running partition (the JVM going down, or its files replaced): the task fails
        PartitionRunner closed = new PartitionRunner(rows.iterator(), 0, spec, true, new Configuration());
        ExecutorModels.closeAll();
        IllegalStateException e = assertThrows(IllegalStateException.class, closed::hasNext);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
