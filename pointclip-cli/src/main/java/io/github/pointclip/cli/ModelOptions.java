package io.github.pointclip.cli;

import io.github.pointclip.encoder.Device;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that load a CLIP model. */
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "DIR",
        description = "CLIP model directory (own bundle, Hugging Face or OpenAI ONNX layout); default: "
            + "-Dpointclip.model, POINTCLIP_MODEL or the cache.")
    Path model;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|cuda[:N]",
        description = "Where the encoders run (default: ${DEFAULT-VALUE}; auto falls back to the CPU).")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "Encoder threads, 0 for ONNX Runtime's default.")
    int threads;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B",
        description = "Images or prompts per encoder run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--offline", description = "Never download a model.")
    boolean offline;

    @Option(names = "--truncate-prompts",
        description = "Cut prompts longer than the text encoder's context (77 tokens) instead of failing on them.")
    boolean truncatePrompts;

    Device device() {
        return Device.parse(device);
    }

    /** @return a facade builder with the model, device, threads, batch size, offline and truncation switches set */
    io.github.pointclip.PointClip.Builder pointClip() {
        return io.github.pointclip.PointClip.builder().model(model).device(device()).threads(threads).batchSize(batch)
            .offline(offline).truncatePrompts(truncatePrompts);
    }
}
