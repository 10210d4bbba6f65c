package io.github.pointclip.spark;

import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.encoder.FeatureAdapterLoader;
import io.github.pointclip.prompt.PromptSet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of this JVM: one {@link PointClip} per spec (by the settings that choose the model),
 * built lazily by the first task that needs it, shared by every later task on the executor (the
 * facade is thread-safe) and closed when the JVM exits.
 */
final class ExecutorModels {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);

    private static final Map<String, Model> MODELS = new ConcurrentHashMap<>();
    /** Hadoop URIs copied to this machine, by their files' identity: each version is copied once per JVM. */
    private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "pointclip-spark-close-models"));
    }

    private ExecutorModels() {
    }

    /**
     * @param spec the spec
     * @param conf the job's Hadoop configuration, for models on HDFS or S3
     * @return this JVM's model for the spec, built on first use
     * @throws RuntimeException (the facade's typed exceptions) if the model cannot be found or opened:
     *     a job-wide problem, which fails the task rather than every row
     */
    static Model get(PointClipSpec spec, Configuration conf) {
        Path model = locate(spec.model(), conf, "model");
        Path adapter = spec.adapter() == null ? null : locate(spec.adapter(), conf, "adapter");
        // keyed by the files' identity too: a model replaced at the same path between two jobs of a long-lived
        // executor is opened afresh, never answered from the old one
        String key = spec.modelKey() + "\u0000" + identity(model) + "\u0000" + (adapter == null ? "" : identity(adapter));
        return MODELS.computeIfAbsent(key, k -> build(spec, model, adapter));
    }

    /** The files under a local path with their sizes and modification times: what a replaced model changes. */
    static String identity(Path path) {
        StringBuilder s = new StringBuilder(path.toAbsolutePath().toString());
        try (Stream<Path> files = Files.walk(path)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> {
                try {
                    s.append('|').append(path.relativize(f)).append(':').append(Files.size(f)).append(':')
                        .append(Files.getLastModifiedTime(f).toMillis());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            s.append("|unlisted:").append(e);
        }
        return s.toString();
    }

    /** The same for a directory or file on a Hadoop file system. */
    private static String identity(URI uri, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = root.getFileSystem(conf);
        StringBuilder s = new StringBuilder(uri.toString());
        List<String> entries = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            entries.add(f.getPath() + ":" + f.getLen() + ":" + f.getModificationTime());
        }
        entries.sort(null);
        entries.forEach(e -> s.append('|').append(e));
        return s.toString();
    }

    /**
     * An executor's model and the class prompts of its spec.
     *
     * @param clip the facade, shared by the tasks
     * @param prompts the classes and prompts that the logits follow
     */
    record Model(PointClip clip, PromptSet prompts) {
    }

    private static Model build(PointClipSpec spec, Path model, Path adapterFile) {
        long start = System.nanoTime();
        int threads = spec.threads();
        if (threads == 0) {
            TaskContext task = TaskContext.get();
            threads = task == null ? 1 : Math.max(1, task.cpus());
        }
        PointClip.Builder b = PointClip.builder().model(model).device(Device.parse(spec.device())).threads(threads)
            .batchSize(spec.batchSize()).dtype(spec.dtype()).offline(true)
            // executors keep text features in memory only: their home may be read-only or shared
            .textDiskCache(false);
        if (spec.backbone() != null) {
            b.backbone(Backbone.fromName(spec.backbone()));
        }
        FeatureAdapter adapter = null;
        if (adapterFile != null) {
            try {
                adapter = FeatureAdapterLoader.loadAny(adapterFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the adapter " + spec.adapter() + ": " + e.getMessage(), e);
            }
            b.adapter(adapter);
        }
        Pipeline pipeline = spec.resolvePipeline();
        if (pipeline != null) {
            b.pipeline(pipeline);
        }
        PointClip clip = b.build();
        PromptSet prompts;
        try {
            prompts = spec.labels() == null && spec.prompts() == null && adapter != null
                ? trainedPrompts(adapter, clip.pipeline().template(), spec.adapter())
                : spec.promptSet(clip.pipeline().template());
        } catch (RuntimeException e) {
            clip.close();
            throw e;
        }
        LOG.info("opened {} for {} in {} ms ({} ONNX Runtime threads)", model, spec,
            (System.nanoTime() - start) / 1_000_000, threads);
        return new Model(clip, prompts);
    }

    /** The classes and prompts an adapter was trained with, from its metadata, as {@code pointclip classify} takes them. */
    static PromptSet trainedPrompts(FeatureAdapter adapter, String template, String where) {
        String names = adapter.metadata().get("class_names");
        String perClass = adapter.metadata().get("prompts");
        if (names == null) {
            throw new IllegalArgumentException("the adapter " + where + " does not record its classes; give labels or "
                + "prompts in the PointClipSpec");
        }
        ObjectMapper mapper = new ObjectMapper();
        try {
            List<String> classes = mapper.readValue(names, new TypeReference<List<String>>() { });
            List<List<String>> prompts = perClass == null ? List.of()
                : mapper.readValue(perClass, new TypeReference<List<List<String>>>() { });
            if (prompts.isEmpty()) {
                return PromptSet.fromTemplate(template, classes);
            }
            if (prompts.size() != classes.size()) {
                throw new IllegalArgumentException("the adapter " + where + " records " + classes.size()
                    + " classes but " + prompts.size() + " prompt lists");
            }
            Map<String, List<String>> byClass = new LinkedHashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                byClass.put(classes.get(c), prompts.get(c));
            }
            return PromptSet.fromPrompts(byClass);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the adapter " + where + ": its class names or prompts are not valid JSON: "
                + e.getOriginalMessage(), e);
        }
    }

    /**
     * Finds a model directory or checkpoint on this machine: a Hadoop URI other than {@code file:} is
     * copied to a local temporary folder (once per JVM); a path that exists is used as it is; else a
     * file shipped with the job ({@code SparkFiles.get}).
     */
    static Path locate(String location, Configuration conf, String what) {
        URI uri = uriOf(location);
        if (uri != null && uri.getScheme() != null && uri.getScheme().length() > 1 && !"file".equals(uri.getScheme())) {
            String key;
            try {
                key = identity(uri, conf);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the " + what + " " + uri + ": " + e.getMessage(), e);
            }
            return COPIES.computeIfAbsent(key, k -> copyToLocal(uri, conf, what));
        }
        Path path = uri != null && "file".equals(uri.getScheme()) ? Path.of(uri) : Path.of(location);
        List<String> looked = new ArrayList<>();
        looked.add(path.toAbsolutePath().toString());
        if (Files.exists(path)) {
            return path;
        }
        try {
            String root = path.isAbsolute() ? null : SparkFiles.getRootDirectory();
            if (root != null) {
                Path shipped = Path.of(SparkFiles.get(location));
                looked.add(shipped + " (SparkFiles)");
                if (Files.exists(shipped)) {
                    return shipped;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("no SparkFiles here: {}", e.toString());
        }
        throw new IllegalArgumentException("the " + what + " '" + location + "' is not on this executor: looked at "
            + String.join(", ", looked) + "; give a path every executor sees, ship it with --files/--archives, or "
            + "give an hdfs:// or s3a:// URI");
    }

    private static URI uriOf(String location) {
        try {
            return URI.create(location);
        } catch (IllegalArgumentException e) {
            return null; // a local path with characters a URI refuses
        }
    }

    private static Path copyToLocal(URI uri, Configuration conf, String what) {
        try {
            Path dir = Files.createTempDirectory("pointclip-" + what + "-");
            org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
            FileSystem fs = source.getFileSystem(conf);
            long start = System.nanoTime();
            fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(dir.toUri()), true);
            Path local = dir.resolve(source.getName());
            deleteOnExit(dir);
            LOG.info("copied the {} {} to {} in {} ms", what, uri, local, (System.nanoTime() - start) / 1_000_000);
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the " + what + " " + uri + " to this executor: " + e.getMessage(),
                e);
        }
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException | UncheckedIOException e) {
                // best effort: a temporary folder
            }
        }, "pointclip-spark-delete-copy"));
    }

    /** Closes every model of this JVM (at exit; tests call it to start afresh). */
    static void closeAll() {
        for (String key : List.copyOf(MODELS.keySet())) {
            Model model = MODELS.remove(key);
            if (model != null) {
                try {
                    model.clip().close();
                } catch (RuntimeException e) {
                    LOG.warn("closing a model failed: {}", e.toString());
                }
            }
        }
    }
}
