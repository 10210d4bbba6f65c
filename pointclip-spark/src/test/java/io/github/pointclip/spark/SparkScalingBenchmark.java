package io.github.pointclip.spark;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Sample;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.onnx.testmodels.FullClipModels;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The scaling figures of docs/scale.md: throughput of the Spark path with {@code local[1]} against
 * {@code local[2]} (one ONNX Runtime thread per task, so the tasks do not fight over cores), and the
 * Spark path against the single-machine CLI ({@code pointclip.jar classify}, a subprocess, when it is
 * built) and the facade's loop on the same clouds. A random-weight model of the exact CLIP ViT
 * architecture (FullClipModels) stands in for CLIP: same FLOPs, so the same per-cloud cost.
 *
 * <p>Run (after {@code ./mvnw -o -q package -pl pointclip-spark,pointclip-cli -am -DskipTests}):
 * <pre>
 * ./mvnw -o -q -pl pointclip-spark dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java $(cat pointclip-spark/target/test-classes/spark-jvm-options.txt) \
 *     -cp pointclip-spark/target/test-classes:pointclip-spark/target/classes:$(cat /tmp/cp.txt) \
 *     io.github.pointclip.spark.SparkScalingBenchmark [CLOUDS=40] [ViT-B/32|ViT-B/16] [PIPELINE=v2]
 * </pre>
 */
public final class SparkScalingBenchmark {

    private SparkScalingBenchmark() {
    }

    /**
     * @param args number of clouds, backbone, pipeline
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        String backbone = args.length > 1 ? args[1] : "ViT-B/32";
        String pipeline = args.length > 2 ? args[2] : "v2";
        Path dir = Files.createTempDirectory("pointclip-spark-bench");
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
        Path model = dir.resolve("model");
        FullClipModels.writeVisual(model.resolve("visual.onnx"), backbone.equals("ViT-B/16") ? FullClipModels.VIT_B_16
            : FullClipModels.VIT_B_32, TinyClipModels.Layout.OPENAI, 1);
        FullClipModels.writeTextual(model.resolve("textual.onnx"), FullClipModels.VIT_B_TEXT,
            TinyClipModels.Layout.OPENAI, 2);
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), model.resolve("bpe_simple_vocab_16e6.txt.gz"));
        List<Path> files = new ArrayList<>();
        for (Sample s : Datasets.modelNet40(SharedData.require("data/modelnet40-mini"), Split.TEST)) {
            if (files.size() == count) {
                break;
            }
            Path f = dir.resolve("clouds").resolve(s.id() + ".npy");
            PointClouds.writeNpy(s.cloud(), f);
            files.add(f);
        }
        System.out.printf(Locale.ROOT, "%d clouds, %s, pipeline %s, %d cores visible%n", files.size(), backbone, pipeline,
            Runtime.getRuntime().availableProcessors());

        // the facade in a loop, one cloud at a time as the CLI runs them: the per-cloud cost
        for (int threads : new int[] {1, 2}) {
            try (PointClip clip = PointClip.builder().model(model).device(Device.CPU).threads(threads)
                    .pipeline(io.github.pointclip.Pipeline.preset(pipeline)).textDiskCache(false).build()) {
                clip.classify(PointClouds.read(files.get(0))); // text features and first-run warm-up
                long t0 = System.nanoTime();
                long c0 = cpu();
                for (Path f : files) {
                    PointCloud c = PointClouds.read(f);
                    clip.classify(c);
                }
                report("facade loop, " + threads + " ORT thread(s), warm", files.size(), System.nanoTime() - t0, cpu() - c0);
            }
        }

        // the CLI, as a user runs it: a fresh JVM, the model opened, every cloud classified
        Path cli = Path.of("pointclip-cli/target/pointclip.jar");
        if (Files.isRegularFile(cli)) {
            for (int threads : new int[] {1, 2}) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Dpointclip.cache=" + dir.resolve("cache"), "-jar", cli.toString(), "classify", "--model",
                    model.toString(), "--pipeline", pipeline, "--threads", String.valueOf(threads), "--json", "--input"));
                files.forEach(f -> command.add(f.toString()));
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("the CLI failed: " + command);
                }
                report("CLI (new JVM, model load included), --threads " + threads, files.size(), System.nanoTime() - t0,
                    -1);
            }
        } else {
            System.out.println("(no " + cli + ": build pointclip-cli to compare with the CLI)");
        }

        Path list = dir.resolve("clouds.lst");
        Files.write(list, files.stream().map(Path::toString).toList());
        for (int cores : new int[] {1, 2}) {
            long s0 = System.nanoTime();
            SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", String.valueOf(cores))
                .getOrCreate();
            report("local[" + cores + "] session start", 0, System.nanoTime() - s0, -1);
            for (String run : new String[] {"cold (model load included)", "warm"}) {
                long t0 = System.nanoTime();
                long c0 = cpu();
                StringWriter err = new StringWriter();
                int code = PointClipSparkJob.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "classify",
                    "--input", list.toString(), "--model", model.toString(), "--pipeline", pipeline, "--threads", "1",
                    "--partitions", String.valueOf(2 * cores), "--output", dir.resolve("out-" + cores + ".parquet").toString());
                if (code != 0) {
                    throw new IllegalStateException("the job failed: " + err);
                }
                report("Spark local[" + cores + "], 1 ORT thread per task, " + run, files.size(), System.nanoTime() - t0,
                    cpu() - c0);
            }
            spark.stop();
            ExecutorModels.closeAll();
        }
    }

    /** CPU time of this whole JVM (every thread), which the other processes on a shared machine do not inflate. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
            .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void report(String what, int clouds, long nanos, long cpuNanos) {
        double s = nanos / 1e9;
        String cpu = cpuNanos < 0 ? "" : String.format(Locale.ROOT, "  CPU %7.1f ms/cloud", cpuNanos / 1e6 / clouds);
        if (clouds == 0) {
            System.out.printf(Locale.ROOT, "%-70s %8.2f s%n", what, s);
        } else {
            System.out.printf(Locale.ROOT, "%-70s %8.2f s  %7.2f clouds/s  %7.1f ms/cloud%s%n", what, s, clouds / s,
                1000 * s / clouds, cpu);
        }
    }
}
