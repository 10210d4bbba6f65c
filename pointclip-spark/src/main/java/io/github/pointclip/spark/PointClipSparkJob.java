package io.github.pointclip.spark;

import io.github.pointclip.PointClip;
import io.github.pointclip.Version;
import io.github.pointclip.prompt.ClassNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code spark-submit} entry point of {@code pointclip-spark.jar}:
 *
 * <pre>
 * spark-submit --class io.github.pointclip.spark.PointClipSparkJob pointclip-spark.jar \
 *     classify --input 's3a://scans/*.ply' --model /mnt/models/clip --labels car,pedestrian,cyclist \
 *     --output s3a://scans/labels.parquet
 * </pre>
 *
 * <p>{@code classify} and {@code embed} write Parquet (atomically replacing an earlier output);
 * {@code retrieve} prints the clouds most similar to a text query, from a Parquet embedding table on
 * Spark or from an {@code .npy} export in plain Java. Exit codes as {@code pointclip}'s: 0 done, 2 bad
 * input (one line on stderr), 1 a bug.
 */
@Command(name = "pointclip-spark", mixinStandardHelpOptions = true, versionProvider = PointClipSparkJob.VersionOf.class,
    subcommands = {PointClipSparkJob.Classify.class, PointClipSparkJob.Embed.class, PointClipSparkJob.Retrieve.class},
    description = "PointCLIP on Apache Spark: classify, embed and retrieve point clouds at scale.")
public final class PointClipSparkJob implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Prints the project version. */
    static final class VersionOf implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pointclip-spark " + Version.get()};
        }
    }

    /**
     * Runs the job and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the job in this JVM (tests, a notebook) and returns its exit code.
     *
     * @param args the command line
     * @return 0 done, 2 bad input, 1 a bug
     */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs the job in this JVM, printing results to {@code out} and errors to {@code err}.
     *
     * @param out where results go
     * @param err where errors go
     * @param args the command line
     * @return 0 done, 2 bad input, 1 a bug
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new PointClipSparkJob()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            // a task's failure reaches the driver wrapped in Spark's exceptions: the cause says what was wrong
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (isBadInput(t)) {
                    line.getErr().println("pointclip-spark: " + HadoopClouds.oneLine(t));
                    return 2;
                }
            }
            throw e;
        });
        return cli.execute(args);
    }

    private static boolean isBadInput(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof IOException
            || e instanceof java.io.UncheckedIOException || e instanceof io.github.pointclip.encoder.ModelNotFoundException
            || e instanceof io.github.pointclip.encoder.ModelLoadException
            || e instanceof io.github.pointclip.encoder.AdapterLoadException
            || e instanceof org.apache.spark.sql.AnalysisException;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** Options naming the model, shared by the subcommands. */
    static final class ModelArgs {
        @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "CLIP model directory: a path every executor sees, a folder shipped with --archives, or an "
                + "hdfs:// or s3a:// URI (copied to each executor once).")
        String model;

        @Option(names = "--backbone", paramLabel = "NAME", description = "Expected backbone, e.g. ViT-B/16.")
        String backbone;

        @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda[:N]",
            description = "Where the encoders run on the executors (default: ${DEFAULT-VALUE}).")
        String device;

        @Option(names = "--pipeline", paramLabel = "v1|v1-fewshot|v2",
            description = "Recipe (default: v2; with --adapter: the adapter's).")
        String pipeline;

        @Option(names = "--adapter", paramLabel = "FILE", description = "Few-shot adapter checkpoint (located as --model).")
        String adapter;

        @Option(names = "--batch", defaultValue = "32", paramLabel = "B",
            description = "Images per encoder run (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--threads", defaultValue = "0", paramLabel = "T",
            description = "ONNX Runtime threads per executor's model; 0 = spark.task.cpus (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--points", defaultValue = "1024", paramLabel = "N",
            description = "Points per cloud; 0 = all (default: ${DEFAULT-VALUE}).")
        int points;

        @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not started by spark-submit, e.g. local[4].")
        String master;

        PointClipSpec.Builder spec() {
            return PointClipSpec.builder().model(model).backbone(backbone).device(device).pipeline(pipeline)
                .adapter(adapter).batchSize(batch).threads(threads).points(points);
        }

        SparkSession session(String name) {
            SparkSession.Builder b = SparkSession.builder().appName("pointclip " + name);
            if (master != null) {
                b.master(master);
            }
            return b.getOrCreate();
        }
    }

    /** Where the clouds come from and where the table goes. */
    static final class IoArgs {
        @Option(names = "--input", required = true, paramLabel = "GLOB_OR_LIST_FILE",
            description = "Point-cloud files: a glob or directory on any Hadoop file system, or a list file "
                + "(.lst/.list, or @FILE) with one path or URI per line.")
        String input;

        @Option(names = "--output", required = true, paramLabel = "DIR.parquet",
            description = "The Parquet table to write; an existing one is replaced once the job has succeeded.")
        String output;

        @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "Partitions of the file list; 0 = Spark's choice (default: ${DEFAULT-VALUE}).")
        int partitions;
    }

    /** Where the class labels come from; default ModelNet40. */
    static final class LabelSource {
        @Option(names = "--labels", split = ",", paramLabel = "a,b,c", description = "Class labels.")
        List<String> labels;

        @Option(names = "--classes", paramLabel = "modelnet40|scanobjectnn", description = "A benchmark's class list.")
        String classes;

        @Option(names = "--prompts", paramLabel = "FILE.json",
            description = "A prompt library {\"class\": [\"prompt\", ...]}, read on the driver.")
        Path prompts;
    }

    /** {@code classify}. */
    @Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Classify point-cloud files; write label, score, probabilities, logits (and embedding) to Parquet.")
    static final class Classify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ModelArgs model;

        @Mixin
        IoArgs files;

        @ArgGroup(exclusive = true)
        LabelSource labels;

        @Option(names = "--embedding", description = "Also write each cloud's fused embedding (for retrieve).")
        boolean embedding;

        @Override
        public Integer call() throws IOException {
            PointClipSpec.Builder b = model.spec().embedding(embedding);
            if (labels != null && labels.labels != null) {
                b.labels(labels.labels.stream().map(String::strip).toList());
            } else if (labels != null && labels.classes != null) {
                b.labels(ClassNames.preset(labels.classes));
            } else if (labels != null && labels.prompts != null) {
                b.promptsFile(labels.prompts);
            }
            PointClipSpec s = b.build();
            SparkSession spark = model.session("classify");
            long start = System.nanoTime();
            Dataset<Row> list = PointClipSpark.listFiles(spark, files.input, files.partitions);
            PointClipSpark.writeParquet(PointClipSpark.classify(list, PointClipSpark.PATH, s), files.output);
            summary(spec.commandLine().getOut(), spark, files.output, start);
            return 0;
        }
    }

    /** {@code embed}. */
    @Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed point-cloud files (the fused, normalised 3-D feature) into a Parquet table.")
    static final class Embed implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ModelArgs model;

        @Mixin
        IoArgs files;

        @Override
        public Integer call() {
            PointClipSpec s = model.spec().build();
            SparkSession spark = model.session("embed");
            long start = System.nanoTime();
            Dataset<Row> list = PointClipSpark.listFiles(spark, files.input, files.partitions);
            PointClipSpark.writeParquet(PointClipSpark.embed(list, PointClipSpark.PATH, s), files.output);
            summary(spec.commandLine().getOut(), spark, files.output, start);
            return 0;
        }
    }

    private static void summary(PrintWriter out, SparkSession spark, String output, long start) {
        Dataset<Row> written = spark.read().parquet(output);
        long rows = written.count();
        long errors = written.where(functions.col(PointClipSpark.ERROR).isNotNull()).count();
        out.printf(Locale.ROOT, "wrote %d rows (%d with an error) to %s in %.1f s%n", rows, errors, output,
            (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    /** {@code retrieve}. */
    @Command(name = "retrieve", mixinStandardHelpOptions = true,
        description = "Print the clouds most similar to a text query: from a Parquet embedding table (on Spark) or "
            + "an .npy export (plain Java, no Spark).")
    static final class Retrieve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ModelArgs model;

        @Option(names = "--embeddings", required = true, paramLabel = "DIR.parquet|FILE.npy",
            description = "The table embed (or classify --embedding) wrote, or an .npy export of it.")
        String embeddings;

        @Option(names = "--query", required = true, paramLabel = "TEXT", description = "What to look for.")
        String query;

        @Option(names = "--top", defaultValue = "10", paramLabel = "K", description = "Results (default: ${DEFAULT-VALUE}).")
        int top;

        @Option(names = "--export", paramLabel = "FILE.npy",
            description = "Also export the Parquet table's embeddings as FILE.npy and FILE.paths.txt.")
        Path export;

        @Override
        public Integer call() throws IOException {
            if (top < 1) {
                throw new IllegalArgumentException("--top must be ≥ 1, got " + top);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (embeddings.toLowerCase(Locale.ROOT).endsWith(".npy")) {
                if (export != null) {
                    throw new IllegalArgumentException("--export reads a Parquet table; --embeddings is an .npy already");
                }
                EmbeddingIndex index = EmbeddingIndex.load(Path.of(embeddings));
                PointClipSpec s = model.spec().build();
                try (PointClip clip = PointClip.builder().model(ExecutorModels.locate(s.model(),
                        new org.apache.hadoop.conf.Configuration(), "model")).offline(true).textDiskCache(false)
                        .build()) {
                    for (EmbeddingIndex.Hit hit : index.search(clip, query, top)) {
                        out.printf(Locale.ROOT, "%.6f\t%s%n", hit.similarity(), hit.path());
                    }
                }
                out.flush();
                return 0;
            }
            SparkSession spark = model.session("retrieve");
            Dataset<Row> table = spark.read().parquet(embeddings);
            if (export != null) {
                PointClipSpark.exportNpy(table, PointClipSpark.PATH, export);
            }
            for (Row r : PointClipSpark.retrieve(table, query, top, model.spec().build()).collectAsList()) {
                out.printf(Locale.ROOT, "%.6f\t%s%n", r.getFloat(r.fieldIndex(PointClipSpark.SIMILARITY)),
                    r.getString(r.fieldIndex(PointClipSpark.PATH)));
            }
            out.flush();
            return 0;
        }
    }
}
