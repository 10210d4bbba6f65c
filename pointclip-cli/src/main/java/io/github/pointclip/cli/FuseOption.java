package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.LogitsFile;
import io.github.pointclip.Pipeline;
import io.github.pointclip.PointClip;
import io.github.pointclip.Prediction;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --fuse FILE --fuse-weight A}: the command's logits fused with another model's, as PointCLIP
 * fuses with a trained 3D network: {@code fused = logits + A · other}. The other model is a
 * point-encoder checkpoint (run here, against the same prompts) or logits the user brings
 * ({@link LogitsFile}: {@code .npy} [N, C] or JSON lines as {@code classify --json} writes them).
 */
public final class FuseOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--fuse", paramLabel = "FILE",
        description = "Fuse the logits with another model's: a point-encoder checkpoint (.safetensors, pointclip "
            + "pretrain) or logits (.npy [N, C], or JSON lines as classify --json writes them), one row per "
            + "input or dataset sample, in order, columns in class order (see docs/evaluation.md).")
    Path file;

    @Option(names = "--fuse-weight", paramLabel = "A",
        description = "Weight of the fused model: fused = logits + A · other (default: 1).")
    Float weight;

    /** @return whether {@code --fuse} was given */
    boolean active() {
        return file != null;
    }

    /** Refuses {@code --fuse-weight} without {@code --fuse} and a weight that is not finite. */
    void check() {
        if (weight != null && file == null) {
            throw new PointClipCli.BadInputException("--fuse-weight needs --fuse FILE");
        }
        if (weight != null && !Float.isFinite(weight)) {
            throw new PointClipCli.BadInputException("--fuse-weight must be finite, got " + weight);
        }
    }

    /** @return the weight, 1 by default */
    float weight() {
        return weight == null ? 1f : weight;
    }

    /** @return whether the file is logits (by extension) rather than a checkpoint */
    boolean isLogits() {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".npy") || name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson");
    }

    /**
     * Opens the other model.
     *
     * @param clip the command's facade: its model (text encoder) is shared with a point encoder
     * @param pipeline the pipeline (points per cloud, template)
     * @param prompts the classes and prompts
     * @param batch clouds per encoder call
     * @param truncatePrompts whether the model truncates prompts (then the encoder's text features stay off disk)
     * @return the other model; close it
     * @throws IOException if the logits file cannot be read
     */
    Other open(PointClip clip, Pipeline pipeline, PromptSet prompts, int batch, boolean truncatePrompts)
            throws IOException {
        if (isLogits()) {
            LogitsFile logits = LogitsFile.read(file);
            logits.checkClasses(prompts.classes());
            return new Other(file, weight(), logits, null, prompts.classes());
        }
        PointClip encoder;
        try {
            encoder = PointClip.builder().model(clip.model()).pipeline(pipeline).prompts(prompts)
                .batchSize(batch).textDiskCache(!truncatePrompts).pointEncoder(file).build();
        } catch (io.github.pointclip.encoder.PointEncoderLoadException e) {
            if (String.valueOf(e.getMessage()).contains("no point encoder loader reads")) {
                throw new PointClipCli.BadInputException("--fuse " + file + ": expected a point-encoder checkpoint "
                    + "(.safetensors) or logits (.npy, .jsonl, .json)");
            }
            throw e;
        }
        return new Other(file, weight(), null, encoder, prompts.classes());
    }

    /**
     * Fuses an evaluation's logits with the other model's for the same samples, and recomputes the
     * predictions and metrics.
     *
     * @param result the evaluation (logits in evaluated order)
     * @param dataset the dataset evaluated
     * @param datasetIndex the dataset index of each evaluated sample
     * @param evaluated how many samples the evaluation covered before skipping (its {@code --limit}), for the
     *     rows a logits file may have besides the dataset's size
     * @param pipeline the pipeline (the point encoder takes its points per cloud)
     * @param other the other model
     * @param err where the progress bar of a point encoder goes
     * @return the fused result, with the same ids, labels, timings, provenance and skipped samples
     * @throws IOException if a sample cannot be read
     */
    static io.github.pointclip.eval.EvaluationResult fuse(io.github.pointclip.eval.EvaluationResult result,
            io.github.pointclip.dataset.Dataset dataset, int[] datasetIndex, int evaluated, Pipeline pipeline,
            Other other, java.io.PrintWriter err) throws IOException {
        other.checkRows(dataset.size(), evaluated, "samples in " + dataset.name());
        List<String> names = result.classNames();
        int n = result.samples();
        int classes = names.size();
        float[] fused = new float[n * classes];
        int[] predicted = new int[n];
        int chunk = 64;
        try (ProgressBar bar = other.needsClouds() ? new ProgressBar(err, "fuse", n, "clouds") : null) {
            for (int start = 0; start < n; start += chunk) {
                int end = Math.min(n, start + chunk);
                int[] rows = java.util.Arrays.copyOfRange(datasetIndex, start, end);
                List<PointCloud> clouds = null;
                if (other.needsClouds()) {
                    clouds = new ArrayList<>(rows.length);
                    for (int row : rows) {
                        clouds.add(dataset.get(row).cloud());
                    }
                }
                List<Prediction> theirs = other.predictions(rows, clouds, null);
                for (int i = start; i < end; i++) {
                    Prediction f = Prediction.of(names, result.logits(i)).fuse(theirs.get(i - start), other.weight());
                    System.arraycopy(f.logits(), 0, fused, i * classes, classes);
                    predicted[i] = f.labelIndex();
                }
                if (bar != null) {
                    bar.update(end, null);
                }
            }
        }
        return io.github.pointclip.eval.EvaluationResult.of(names, result.ids(), result.labels(), predicted, fused,
            result.timings(), result.provenance(), result.skipped());
    }

    /** The other model: logits read from a file, or a point encoder run on the clouds. */
    static final class Other implements AutoCloseable {
        private final Path file;
        private final float weight;
        private final LogitsFile logits;
        private final PointClip encoder;
        private final List<String> classes;

        Other(Path file, float weight, LogitsFile logits, PointClip encoder, List<String> classes) {
            this.file = file;
            this.weight = weight;
            this.logits = logits;
            this.encoder = encoder;
            this.classes = classes;
        }

        /** @return whether the other model needs the clouds (a point encoder), not just row numbers */
        boolean needsClouds() {
            return encoder != null;
        }

        /**
         * Checks the rows of a logits file against the clouds fused.
         *
         * @param expected how many rows there must be
         * @param alternative another acceptable count (e.g. the samples under {@code --limit}), or −1
         * @param what what the rows follow, for the message
         */
        void checkRows(int expected, int alternative, String what) {
            if (logits != null && logits.rows() != alternative) {
                logits.checkRows(expected, what);
            }
        }

        /**
         * The other model's predictions.
         *
         * @param rows the row of each cloud in the logits file
         * @param clouds the clouds (used by a point encoder), or null when {@link #needsClouds()} is false
         * @param inputs the input each row must record, where a JSON-lines file records one, or null
         * @return one prediction per row
         */
        List<Prediction> predictions(int[] rows, List<PointCloud> clouds, List<String> inputs) {
            if (encoder != null) {
                return encoder.classifyAll(clouds);
            }
            List<Prediction> out = new ArrayList<>(rows.length);
            for (int i = 0; i < rows.length; i++) {
                if (inputs != null) {
                    String recorded = logits.input(rows[i]).orElse(null);
                    if (recorded != null && !recorded.equals(inputs.get(i))) {
                        throw new PointClipCli.BadInputException(file + ": row " + (rows[i] + 1) + " holds the logits "
                            + "of " + recorded + ", not of " + inputs.get(i) + " (one row per input, in order)");
                    }
                }
                out.add(logits.prediction(rows[i], classes));
            }
            return out;
        }

        /**
         * @param node a JSON object to describe the fusion in
         * @return the node
         */
        ObjectNode describe(ObjectNode node) {
            node.put("file", file.toString());
            node.put("kind", encoder != null ? "point_encoder" : "logits");
            node.put("weight", weight);
            return node;
        }

        /** @return the weight */
        float weight() {
            return weight;
        }

        /** @return the file */
        Path file() {
            return file;
        }

        @Override
        public void close() {
            if (encoder != null) {
                encoder.close();
            }
        }
    }
}
