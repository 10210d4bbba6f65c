package io.github.pointclip.cli;

import io.github.pointclip.PointClip;
import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.onnx.bundle.DownloadListener;
import io.github.pointclip.onnx.bundle.ModelCatalog;
import io.github.pointclip.onnx.bundle.ModelResolver;
import io.github.pointclip.onnx.bundle.ModelVariant;
import io.github.pointclip.onnx.bundle.ResolvedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options of the commands that load a CLIP model: where it is ({@code --model}, or a catalogue
 * {@code --backbone} downloaded into the cache on first use), which file variant ({@code --dtype}),
 * where it runs and whether the network may be used.
 */
public final class ModelOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--model", paramLabel = "DIR",
        description = "CLIP model directory (own bundle, Hugging Face or OpenAI ONNX layout); default: "
            + "-Dpointclip.model, POINTCLIP_MODEL, else the cache entry of --backbone.")
    Path model;

    @Option(names = "--backbone", paramLabel = "NAME",
        description = "CLIP backbone, e.g. ViT-B/16. Catalogue models (ViT-B/32, ViT-B/16) are downloaded into the cache "
            + "on first use; with --model it names the model's backbone, which must agree with it.")
    String backbone;

    @Option(names = "--dtype", paramLabel = "fp32|fp16|q8|int8|uint8|q4|q4f16|bnb4",
        description = "Model file variant, named as transformers.js names them (default: fp32; see docs/models.md).")
    String dtype;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda[:N]",
        description = "Where the encoders run (default: ${DEFAULT-VALUE}; auto falls back to the CPU).")
    String device;

    int threads;

    int batch;

    @Option(names = "--offline", description = "Never download a model (also -Dpointclip.offline=true or POINTCLIP_OFFLINE=1).")
    boolean offline;

    @Option(names = "--truncate-prompts",
        description = "Cut prompts longer than the text encoder's context (77 tokens) instead of failing on them.")
    boolean truncatePrompts;

    /**
     * Checked here, when the command line is parsed, so that every command refuses a bad value the same way,
     * naming the option (exit code 2), before any file is read.
     *
     * @param value {@code --threads}
     */
    @Option(names = "--threads", defaultValue = "0", paramLabel = "T",
        description = "Encoder threads, 0 for ONNX Runtime's default (default: ${DEFAULT-VALUE}).")
    void threads(int value) {
        if (value < 0) {
            throw parameterError("--threads must be ≥ 0 (0 = ONNX Runtime's default), got " + value);
        }
        threads = value;
    }

    /**
     * @param value {@code --batch}, checked as {@link #threads(int)}
     */
    @Option(names = "--batch", defaultValue = "32", paramLabel = "B",
        description = "Images or prompts per encoder run (default: ${DEFAULT-VALUE}).")
    void batch(int value) {
        if (value < 1) {
            throw parameterError("--batch must be ≥ 1, got " + value);
        }
        batch = value;
    }

    private RuntimeException parameterError(String message) {
        return mixee == null ? new PointClipCli.BadInputException(message)
            : new ParameterException(mixee.commandLine(), message);
    }

    Device device() {
        return Device.parse(device);
    }

    /** @return the backbone asked for, or null */
    Backbone backbone() {
        return backbone == null ? null : Backbone.fromName(backbone);
    }

    /** @return the dtype asked for, or null */
    ModelVariant variant() {
        return dtype == null ? null : ModelVariant.fromDtype(dtype);
    }

    /**
     * A facade builder with the model, backbone, dtype, device, threads, batch size, offline and truncation
     * switches set. For a catalogue backbone without {@code --model}, the model is resolved here first, so that a
     * first-use download draws a progress bar on stderr.
     *
     * @return the builder
     * @throws IOException when the model cannot be resolved or downloaded
     */
    PointClip.Builder pointClip() throws IOException {
        Backbone b = backbone();
        ModelVariant v = variant();
        Path dir = model;
        if (dir == null && b != null && ModelCatalog.find(b.displayName()).isPresent()) {
            dir = resolveWithProgress(b, v);
        }
        return PointClip.builder().model(dir).backbone(b).dtype(v == null ? null : v.dtype()).device(device())
            .threads(threads).batchSize(batch).offline(offline).truncatePrompts(truncatePrompts);
    }

    private Path resolveWithProgress(Backbone b, ModelVariant v) throws IOException {
        PrintWriter err = mixee == null ? new PrintWriter(System.err, true) : mixee.commandLine().getErr();
        try (ProgressBar bar = new ProgressBar(err, "download", 0, "MB")) {
            ModelResolver.Builder resolver = ModelResolver.builder().modelName(b.displayName()).dtype(v)
                .listener(progress(bar));
            if (offline) {
                resolver.offline(true);
            }
            ResolvedModel resolved = resolver.build().resolvePath();
            return resolved.directory();
        }
    }

    /** @return a listener that draws a bar per file, in megabytes */
    static DownloadListener progress(ProgressBar bar) {
        return (uri, done, total) -> {
            long totalMb = total > 0 ? (total + 999_999) / 1_000_000 : 0; // a file under 1 MB still shows 1/1 when done
            bar.total(totalMb);
            bar.update(total > 0 && done >= total ? totalMb : done / 1_000_000,
                uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1));
        };
    }
}
