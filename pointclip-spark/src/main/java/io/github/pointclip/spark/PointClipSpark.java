package io.github.pointclip.spark;

import io.github.pointclip.PointClip;
import io.github.pointclip.io.PointCloudFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PointCLIP as Spark transformations: classify or embed the point-cloud files a table names, one row
 * out per row in.
 *
 * <pre>{@code
 * Dataset<Row> files = PointClipSpark.listFiles(spark, "s3a://scans/2026-12/*.ply", 0);
 * PointClipSpec spec = PointClipSpec.builder().model("/mnt/models/clip-vit-b16")
 *     .labels(List.of("car", "pedestrian", "cyclist")).embedding(true).build();
 * Dataset<Row> labelled = PointClipSpark.classify(files, "path", spec);
 * PointClipSpark.writeParquet(labelled, "s3a://scans/2026-12-labels.parquet");
 * }</pre>
 *
 * <p>The result has the input's columns, then {@value #LABEL} (string), {@value #SCORE} (float, the
 * label's probability), {@value #PROBABILITIES} and {@value #LOGITS} (array of float, in class order;
 * the probabilities column's metadata {@code "labels"} lists the classes when the driver knows them),
 * {@value #EMBEDDING} (array of float, the fused, normalised 3-D feature; with
 * {@link PointClipSpec#embedding()} or from {@link #embed}) and {@value #ERROR} (null, or one line naming
 * the file and what was wrong with it; the other result columns are then null). A bad file costs its
 * own row, never the job; a model that cannot be opened fails the job.
 *
 * <p>Each executor JVM builds one {@link PointClip} from the spec, lazily, shares it between its tasks
 * and closes it when the JVM exits. The clouds of a partition are read and encoded in groups of
 * {@code max(1, batchSize / views)}. The transformations are lazy, like Spark's own: nothing runs until
 * an action (a write, a count).
 */
public final class PointClipSpark {

    private static final Logger LOG = LoggerFactory.getLogger(PointClipSpark.class);

    /** Result column: the most probable class. */
    public static final String LABEL = "label";
    /** Result column: the label's probability. */
    public static final String SCORE = "score";
    /** Result column: every class's probability, in class order. */
    public static final String PROBABILITIES = "probabilities";
    /** Result column: every class's logit, in class order. */
    public static final String LOGITS = "logits";
    /** Result column: the fused, normalised 3-D feature (for retrieval). */
    public static final String EMBEDDING = "embedding";
    /** Result column: null, or why the row's file could not be classified. */
    public static final String ERROR = "error";
    /** Retrieval column: cosine similarity between a cloud's embedding and the query. */
    public static final String SIMILARITY = "similarity";
    /** The column {@link #listFiles} names the files in. */
    public static final String PATH = "path";

    private PointClipSpark() {
    }

    /**
     * Classifies the point-cloud files named in {@code pathColumn}.
     *
     * @param input a table with a string column of file paths or URIs
     * @param pathColumn that column's name
     * @param spec the model and classes
     * @return the input's columns plus the result columns (lazy)
     * @throws IllegalArgumentException if the column is missing or not a string, or the input already has
     *     a column of a result's name
     */
    public static Dataset<Row> classify(Dataset<Row> input, String pathColumn, PointClipSpec spec) {
        return run(input, pathColumn, spec, true);
    }

    /**
     * Embeds the point-cloud files named in {@code pathColumn}: the input's columns plus
     * {@value #EMBEDDING} and {@value #ERROR}.
     *
     * @param input a table with a string column of file paths or URIs
     * @param pathColumn that column's name
     * @param spec the model
     * @return the embeddings (lazy)
     * @throws IllegalArgumentException as {@link #classify}
     */
    public static Dataset<Row> embed(Dataset<Row> input, String pathColumn, PointClipSpec spec) {
        return run(input, pathColumn, spec, false);
    }

    private static Dataset<Row> run(Dataset<Row> input, String pathColumn, PointClipSpec spec, boolean classify) {
        StructType in = input.schema();
        int pathIndex = columnIndex(in, pathColumn);
        if (!in.fields()[pathIndex].dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("column '" + pathColumn + "' holds " + in.fields()[pathIndex].dataType()
                .simpleString() + ", not file paths (string)");
        }
        boolean embedding = !classify || spec.embedding();
        List<StructField> fields = new ArrayList<>(Arrays.asList(in.fields()));
        if (classify) {
            Metadata labels = spec.adapter() != null && spec.labels() == null && spec.prompts() == null
                ? Metadata.empty()
                : new MetadataBuilder().putStringArray("labels", spec.classes().toArray(new String[0])).build();
            fields.add(DataTypes.createStructField(LABEL, DataTypes.StringType, true));
            fields.add(DataTypes.createStructField(SCORE, DataTypes.FloatType, true));
            fields.add(DataTypes.createStructField(PROBABILITIES, DataTypes.createArrayType(DataTypes.FloatType, false),
                true, labels));
            fields.add(DataTypes.createStructField(LOGITS, DataTypes.createArrayType(DataTypes.FloatType, false), true));
        }
        if (embedding) {
            fields.add(DataTypes.createStructField(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false),
                true));
        }
        fields.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
        for (int i = in.fields().length; i < fields.size(); i++) {
            String name = fields.get(i).name();
            if (Arrays.asList(in.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("the input already has a column '" + name + "', which the result "
                    + "adds; rename or drop it first");
            }
        }
        StructType out = DataTypes.createStructType(fields);
        Broadcast<SerializableConfiguration> conf = hadoopConf(input.sparkSession());
        LOG.info("{} {} with {}", classify ? "classifying" : "embedding", pathColumn, spec);
        MapPartitionsFunction<Row, Row> f = rows -> new PartitionRunner(rows, pathIndex, spec, classify,
            conf.value().value());
        Dataset<Row> result = input.mapPartitions(f, Encoders.row(out));
        if (classify) {
            // the class order, as column metadata (mapPartitions keeps types, not metadata)
            Metadata labels = out.apply(PROBABILITIES).metadata();
            result = result.withColumn(PROBABILITIES, functions.col(PROBABILITIES).as(PROBABILITIES, labels));
        }
        return result;
    }

    private static int columnIndex(StructType schema, String column) {
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column '" + column + "' in the input; it has "
            + String.join(", ", schema.fieldNames()));
    }

    private static Broadcast<SerializableConfiguration> hadoopConf(SparkSession spark) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    }

    /**
     * The point-cloud files to process, one per row in a string column {@value #PATH}: the files a glob
     * matches ({@code s3a://bucket/scans/*.ply}; a matched directory contributes every file with a
     * point-cloud extension beneath it), or the lines of a list file (a name ending in {@code .lst} or
     * {@code .list}, or any name after {@code @}: one path or URI per line, blank lines and lines starting
     * with {@code #} skipped; read by Spark, so it may hold millions).
     *
     * @param spark the session
     * @param globOrList a glob, directory or file, or a list file
     * @param partitions the number of partitions, 0 for Spark's choice
     * @return the paths
     * @throws IllegalArgumentException if the glob matches nothing
     * @throws UncheckedIOException if listing fails
     */
    public static Dataset<Row> listFiles(SparkSession spark, String globOrList, int partitions) {
        Dataset<Row> files;
        String lower = globOrList.toLowerCase(Locale.ROOT);
        if (globOrList.startsWith("@") || lower.endsWith(".lst") || lower.endsWith(".list")) {
            String list = globOrList.startsWith("@") ? globOrList.substring(1) : globOrList;
            files = spark.read().textFile(list)
                .map((org.apache.spark.api.java.function.MapFunction<String, String>) String::strip, Encoders.STRING())
                .filter((org.apache.spark.api.java.function.FilterFunction<String>) s -> !s.isEmpty()
                    && !s.startsWith("#"))
                .toDF(PATH);
        } else {
            List<Row> rows = new ArrayList<>();
            for (String p : glob(spark.sparkContext().hadoopConfiguration(), globOrList)) {
                rows.add(RowFactory.create(p));
            }
            files = spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                DataTypes.createStructField(PATH, DataTypes.StringType, false))));
        }
        return partitions > 0 ? files.repartition(partitions) : files;
    }

    private static List<String> glob(Configuration conf, String pattern) {
        try {
            Path path = new Path(pattern);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new IllegalArgumentException("--input " + pattern + " matches no file");
            }
            List<String> out = new ArrayList<>();
            for (FileStatus m : matches) {
                if (m.isDirectory()) {
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                    while (it.hasNext()) {
                        Path f = it.next().getPath();
                        if (isCloudFile(f.getName())) {
                            out.add(f.toString());
                        }
                    }
                } else {
                    out.add(m.getPath().toString());
                }
            }
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + pattern + ": " + e.getMessage(), e);
        }
    }

    private static boolean isCloudFile(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || name.startsWith(".") || name.startsWith("_")) {
            return false;
        }
        String ext = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Arrays.stream(PointCloudFormat.values()).anyMatch(f -> f.extensions().contains(ext));
    }

    /**
     * Writes a result as Parquet, replacing what is there only once the whole write succeeded: the job
     * writes into a hidden sibling folder, then the old output is moved aside, the new one moved in and the
     * old one deleted. A failed job leaves the previous output as it was; readers never see a mix of two
     * runs. (On HDFS and local disks the moves are atomic renames; on S3 they are copies, so a reader
     * polling during them may see the folder missing, never mixed.)
     *
     * @param result the rows to write
     * @param output the Parquet folder
     * @throws UncheckedIOException if the folders cannot be moved
     */
    public static void writeParquet(Dataset<Row> result, String output) {
        Configuration conf = result.sparkSession().sparkContext().hadoopConfiguration();
        Path target = new Path(output);
        String id = UUID.randomUUID().toString().substring(0, 8);
        try {
            FileSystem fs = target.getFileSystem(conf);
            Path parent = target.getParent();
            Path staging = new Path(parent, "." + target.getName() + ".writing-" + id);
            try {
                result.write().parquet(staging.toString());
            } catch (RuntimeException e) {
                deleteQuietly(fs, staging);
                throw e;
            }
            Path old = null;
            if (fs.exists(target)) {
                old = new Path(parent, "." + target.getName() + ".replaced-" + id);
                if (!fs.rename(target, old)) {
                    deleteQuietly(fs, staging);
                    throw new IOException("cannot move the previous " + target + " aside");
                }
            }
            if (!fs.rename(staging, target)) {
                if (old != null) {
                    fs.rename(old, target);
                }
                deleteQuietly(fs, staging);
                throw new IOException("cannot move the new output into " + target);
            }
            if (old != null) {
                fs.delete(old, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + output + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(FileSystem fs, Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.toString());
        }
    }

    /**
     * Text-to-shape retrieval on Spark: the {@code top} rows of an embedding table (from {@link #embed}, or
     * {@link #classify} with {@link PointClipSpec#embedding()}) most similar to a text query, encoded here on
     * the driver by the text encoder of the spec's model (the one that made the embeddings). Rows with an
     * error are skipped.
     *
     * @param embeddings the table, with an {@value #EMBEDDING} column
     * @param query the text, encoded as given (PointCLIP's prompts read "point cloud depth map of a chair.")
     * @param top how many rows to keep
     * @param spec the model
     * @return the rows without their embedding, plus {@value #SIMILARITY}, most similar first
     */
    public static Dataset<Row> retrieve(Dataset<Row> embeddings, String query, int top, PointClipSpec spec) {
        if (top < 1) {
            throw new IllegalArgumentException("top must be >= 1, got " + top);
        }
        StructType in = embeddings.schema();
        int index = columnIndex(in, EMBEDDING);
        float[] q = EmbeddingIndex.queryFeature(ExecutorModels.get(spec, embeddings.sparkSession().sparkContext()
            .hadoopConfiguration()).clip(), query);
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < in.fields().length; i++) {
            if (i != index) {
                fields.add(in.fields()[i]);
            }
        }
        fields.add(DataTypes.createStructField(SIMILARITY, DataTypes.FloatType, false));
        StructType out = DataTypes.createStructType(fields);
        MapPartitionsFunction<Row, Row> f = rows -> new Iterator<Row>() {
            private Row next = advance();

            private Row advance() {
                while (rows.hasNext()) {
                    Row r = rows.next();
                    if (r.isNullAt(index)) {
                        continue;
                    }
                    List<Float> e = r.getList(index);
                    if (e.size() != q.length) {
                        throw new IllegalArgumentException("an embedding has " + e.size() + " dimensions but the "
                            + "model's text features " + q.length + ": embeddings and query come from different models");
                    }
                    float dot = 0;
                    for (int d = 0; d < q.length; d++) {
                        dot += e.get(d) * q[d];
                    }
                    Object[] values = new Object[out.fields().length];
                    for (int i = 0, k = 0; i < r.length(); i++) {
                        if (i != index) {
                            values[k++] = r.get(i);
                        }
                    }
                    values[values.length - 1] = dot;
                    return RowFactory.create(values);
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                Row r = next;
                next = advance();
                return r;
            }
        };
        return embeddings.mapPartitions(f, Encoders.row(out)).orderBy(functions.col(SIMILARITY).desc()).limit(top);
    }
    /**
     * Exports an embedding table for {@link EmbeddingIndex} (retrieval in plain Java): collects the rows
     * with an embedding to the driver and writes {@code npy} ([N, D] float32) and its paths file. For
     * tables that fit in the driver's memory (a million 512-d embeddings: 2 GB).
     *
     * @param embeddings a table with a string column {@code pathColumn} and {@value #EMBEDDING}
     * @param pathColumn the column naming each cloud
     * @param npy the {@code .npy} to write (a local file)
     * @return the index that was written
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if no row has an embedding
     */
    public static EmbeddingIndex exportNpy(Dataset<Row> embeddings, String pathColumn, java.nio.file.Path npy)
            throws IOException {
        List<Row> rows = embeddings.where(functions.col(EMBEDDING).isNotNull())
            .select(functions.col(pathColumn), functions.col(EMBEDDING)).collectAsList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no row has an embedding to export");
        }
        int dim = rows.get(0).getList(1).size();
        float[] data = new float[rows.size() * dim];
        List<String> paths = new ArrayList<>(rows.size());
        for (int n = 0; n < rows.size(); n++) {
            List<Float> e = rows.get(n).getList(1);
            if (e.size() != dim) {
                throw new IllegalArgumentException("embeddings of " + dim + " and " + e.size() + " dimensions in one table");
            }
            for (int d = 0; d < dim; d++) {
                data[n * dim + d] = e.get(d);
            }
            paths.add(rows.get(n).getString(0));
        }
        EmbeddingIndex index = EmbeddingIndex.of(data, paths);
        index.write(npy);
        return index;
    }
}
