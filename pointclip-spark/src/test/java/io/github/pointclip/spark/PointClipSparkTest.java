package io.github.pointclip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.Embedding;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Sample;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark path in local mode, on the ModelNet40 sample exported as .npy and .ply files, with the
 * tiny test model: every row equals the single-machine {@link PointClip}; bad files cost their rows;
 * the job's main method writes Parquet atomically and retrieves. One session for the class.
 */
class PointClipSparkTest {

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Path model;
    /** Every exported cloud file, in dataset order. */
    static List<Path> files;

    @BeforeAll
    static void setUp() throws IOException {
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        Dataset ds = Datasets.modelNet40(SharedData.require("data/modelnet40-mini"), Split.TEST);
        files = new ArrayList<>();
        Path clouds = dir.resolve("clouds");
        for (Sample s : ds) {
            // both a binary and a header-parsed format go through the stream readers
            Path f = clouds.resolve(s.className()).resolve(s.id() + (s.index() % 2 == 0 ? ".npy" : ".ply"));
            Files.createDirectories(f.getParent());
            if (s.index() % 2 == 0) {
                PointClouds.writeNpy(s.cloud(), f);
            } else {
                PointClouds.writePly(s.cloud(), f);
            }
            files.add(f);
        }
        model = TinyClipModels.writeOpenAiBundle(dir.resolve("model"));
        spark = SparkSession.builder().master("local[2]").appName("PointClipSparkTest")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toString()).getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
        ExecutorModels.closeAll();
        System.clearProperty("pointclip.cache");
    }

    private static PointClip singleMachine() {
        return PointClip.builder().model(model).textDiskCache(false).threads(1).build();
    }

    @Test
    void everyRowEqualsSingleMachineClassifyAndBadFilesCostTheirRowOnly() throws IOException {
        Path corrupt = dir.resolve("bad").resolve("corrupt.ply");
        Files.createDirectories(corrupt.getParent());
        Files.writeString(corrupt, "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nend_header\n1\n2\n",
            StandardCharsets.US_ASCII);
        String missing = dir.resolve("bad").resolve("missing.npy").toUri().toString();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            rows.add(RowFactory.create((long) i, files.get(i).toString()));
        }
        rows.add(RowFactory.create(-1L, corrupt.toUri().toString())); // a file: URI, as Hadoop lists them
        rows.add(RowFactory.create(-2L, missing));
        StructType schema = DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.LongType, false),
            DataTypes.createStructField("file", DataTypes.StringType, true)));
        org.apache.spark.sql.Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(3);
        PointClipSpec spec = PointClipSpec.builder().model(model.toString()).embedding(true).batchSize(60).build();
        org.apache.spark.sql.Dataset<Row> result = PointClipSpark.classify(input, "file", spec);
        assertEquals(List.of("id", "file", "label", "score", "probabilities", "logits", "embedding", "error"),
            List.of(result.schema().fieldNames()));
        Map<Long, Row> byId = result.collectAsList().stream().collect(Collectors.toMap(r -> r.getLong(0), r -> r));
        assertEquals(rows.size(), byId.size());

        try (PointClip clip = singleMachine()) {
            for (int i = 0; i < files.size(); i++) {
                Row r = byId.get((long) i);
                assertNull(r.get(7), () -> "row " + r);
                PointCloud cloud = PointClouds.read(files.get(i));
                Prediction expected = clip.classify(cloud);
                assertEquals(expected.label(), r.getString(2), files.get(i).toString());
                float[] logits = floats(r.getList(5));
                float[] want = expected.logits();
                assertEquals(40, logits.length);
                for (int c = 0; c < want.length; c++) {
                    assertEquals(want[c], logits[c], 1e-4f * Math.max(1, Math.abs(want[c])), files.get(i) + " class " + c);
                }
                float[] probabilities = floats(r.getList(4));
                assertEquals(expected.probabilities()[expected.labelIndex()], r.getFloat(3), 1e-5f);
                assertEquals(1.0, sum(probabilities), 1e-4);
                for (int c = 0; c < want.length; c++) {
                    assertEquals(expected.probabilities()[c], probabilities[c], 1e-5f, files.get(i) + " class " + c);
                }
                Embedding e = clip.embed(cloud);
                float[] embedding = floats(r.getList(6));
                for (int d = 0; d < embedding.length; d++) {
                    assertEquals(e.fused()[d], embedding[d], 1e-5f);
                }
            }
        }
        Row bad = byId.get(-1L);
        String error = bad.getString(7);
        assertTrue(error.startsWith(corrupt.toUri().toString()) && error.contains("corrupt.ply") && !error.contains("\n"),
            error);
        assertNull(bad.get(2));
        assertNull(bad.get(5));
        assertEquals(missing + ": no such file", byId.get(-2L).getString(7));
        // the class order travels with the table
        String[] labels = result.schema().apply("probabilities").metadata().getStringArray("labels");
        assertEquals("airplane", labels[0]);
        assertEquals(40, labels.length);
    }

    @Test
    void theJobWritesParquetAtomicallyAndRetrievesOnSparkAndInPlainJava() throws IOException {
        Path list = dir.resolve("first10.lst");
        Files.write(list, files.subList(0, 10).stream().map(Path::toString).toList());
        Path out = dir.resolve("out").resolve("labels.parquet");
        Object[] r = job("classify", "--master", "local[2]", "--input", list.toString(), "--model", model.toString(),
            "--classes", "modelnet40", "--embedding", "--partitions", "2", "--output", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).startsWith("wrote 10 rows (0 with an error) to " + out), (String) r[1]);
        assertEquals(10, spark.read().parquet(out.toString()).count());

        // a rerun replaces the table as a whole: only the new run's rows, no staging folder left behind
        Path airplanes = files.get(0).getParent();
        long inFolder;
        try (Stream<Path> s = Files.list(airplanes)) {
            inFolder = s.count();
        }
        r = job("classify", "--input", airplanes.toString(), "--model", model.toString(), "--labels", "airplane,chair",
            "--embedding", "--output", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        List<Row> second = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(inFolder, second.size());
        assertTrue(second.stream().allMatch(row -> row.getString(row.fieldIndex("path")).contains("/airplane/")
            && List.of("airplane", "chair").contains(row.getString(row.fieldIndex("label")))));
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(List.of(out.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList());
        }
        // a run that fails leaves the last good output as it was
        r = job("classify", "--input", airplanes.toString(), "--model", dir.resolve("no-model").toString(),
            "--output", out.toString());
        assertEquals(2, r[0], (String) r[1]);
        assertTrue(((String) r[2]).contains("no-model"), (String) r[2]);
        assertEquals(inFolder, spark.read().parquet(out.toString()).count());
        try (Stream<Path> s = Files.list(out.getParent())) {
            assertEquals(List.of(out.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList(),
                "a failed run leaves no staging folder behind");
        }

        // retrieval: on Spark, with an .npy export, and in plain Java from that export: the same ranking
        Path npy = dir.resolve("export").resolve("airplanes.npy");
        r = job("retrieve", "--embeddings", out.toString(), "--query", "point cloud depth map of a airplane.",
            "--top", "3", "--model", model.toString(), "--export", npy.toString());
        assertEquals(0, r[0], (String) r[2]);
        List<String> onSpark = ((String) r[1]).lines().toList();
        assertEquals(3, onSpark.size(), (String) r[1]);
        r = job("retrieve", "--embeddings", npy.toString(), "--query", "point cloud depth map of a airplane.",
            "--top", "3", "--model", model.toString());
        assertEquals(0, r[0], (String) r[2]);
        List<String> plain = ((String) r[1]).lines().toList();
        assertEquals(paths(onSpark), paths(plain));
        // the ranking is by the dot product of each stored embedding with the query's text feature
        EmbeddingIndex index = EmbeddingIndex.load(npy);
        assertEquals(inFolder, index.size());
        try (PointClip clip = singleMachine()) {
            float[] q = EmbeddingIndex.queryFeature(clip, "point cloud depth map of a airplane.");
            Map<String, Double> sims = new HashMap<>();
            for (Row row : second) {
                float[] e = floats(row.getList(row.fieldIndex("embedding")));
                double dot = 0;
                for (int d = 0; d < e.length; d++) {
                    dot += e[d] * q[d];
                }
                sims.put(row.getString(row.fieldIndex("path")), dot);
            }
            List<String> expected = sims.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(3).map(Map.Entry::getKey).toList();
            assertEquals(expected, paths(plain));
        }
    }

    @Test
    void theJobRunsInAJvmOfItsOwnAsPlainJavaStartsIt() throws Exception {
        // no session in that JVM: the job creates one from --master (as from an IDE or a plain java command)
        Path list = dir.resolve("child3.lst");
        Files.write(list, files.subList(0, 3).stream().map(Path::toString).toList());
        Path out = dir.resolve("child").resolve("labels.parquet");
        Object[] r = childJob("classify", "--master", "local[1]", "--input", list.toString(), "--model", model.toString(),
            "--labels", "airplane,chair", "--output", out.toString());
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).startsWith("wrote 3 rows (0 with an error) to " + out), (String) r[1]);
        List<Row> written = spark.read().parquet(out.toString()).collectAsList();
        assertEquals(files.subList(0, 3).stream().map(Path::toString).sorted().toList(),
            written.stream().map(row -> row.getString(row.fieldIndex("path"))).sorted().toList());
        try (PointClip clip = singleMachine()) {
            for (Row row : written) {
                PointCloud cloud = PointClouds.read(Path.of(row.getString(row.fieldIndex("path"))));
                assertEquals(clip.classify(cloud, List.of("airplane", "chair")).label(),
                    row.getString(row.fieldIndex("label")));
            }
        }
        // without spark-submit and without --master: exit 2 and one line, not a stack trace
        r = childJob("classify", "--input", list.toString(), "--model", model.toString(), "--output", out.toString());
        assertEquals(2, r[0], (String) r[2]);
        List<String> err = ((String) r[2]).lines().filter(l -> l.startsWith("pointclip-spark:")).toList();
        assertEquals(1, err.size(), (String) r[2]);
        assertTrue(err.get(0).contains("--master"), err.get(0));
        assertTrue(!((String) r[2]).contains("\tat "), (String) r[2]);
    }

    /** Runs {@link PointClipSparkJob#main} in a new JVM on this test's class path: exit code, stdout, stderr. */
    private static Object[] childJob(String... args) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path options = Path.of(PointClipSparkTest.class.getResource("/spark-jvm-options.txt").toURI());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "@" + options, "-Xmx1g", "-Dspark.ui.enabled=false", "-Dpointclip.cache=" + dir.resolve("child-cache"),
            "-cp", classPath, PointClipSparkJob.class.getName()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(dir, "child", ".out");
        Path stderr = Files.createTempFile(dir, "child", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the job's JVM did not exit in 120 s: " + Files.readString(stderr));
        }
        return new Object[] {p.exitValue(), Files.readString(stdout), Files.readString(stderr)};
    }

    private static List<String> paths(List<String> lines) {
        return lines.stream().map(l -> l.substring(l.indexOf('\t') + 1)).toList();
    }

    private static Object[] job(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PointClipSparkJob.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Object[] {code, out.toString(), err.toString()};
    }

    private static float[] floats(List<Float> list) {
        assertNotNull(list);
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s;
    }
}
