package io.github.pointclip.cli;

import io.github.pointclip.Pipeline;
import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.encoder.FeatureAdapterLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which pipeline a command runs: the one named with {@code --pipeline}, else the one an
 * {@code --adapter} was trained with (its features are only meaningful there), else the command's
 * default. Also loads adapter checkpoints through the {@link FeatureAdapterLoader}s on the class path.
 */
final class PipelineChoice {

    private PipelineChoice() {
    }

    /**
     * @param name the {@code --pipeline} value, or null
     * @param adapter the loaded {@code --adapter}, or null
     * @param fallback the command's default preset
     * @return the preset
     * @throws PointClipCli.BadInputException for an unknown name
     */
    static Pipeline resolve(String name, FeatureAdapter adapter, String fallback) {
        String chosen = name;
        if (chosen == null) {
            String trained = adapter == null ? null : adapter.metadata().get("pipeline");
            if (trained != null && trained.endsWith(Pipeline.CUSTOM_SUFFIX)) {
                Optional<Pipeline> rebuilt = Pipeline.rebuild(trained, adapter.metadata().get("pipeline_fingerprint"));
                if (rebuilt.isPresent()) {
                    return rebuilt.get();
                }
                throw new PointClipCli.BadInputException("the adapter was trained with the custom pipeline '" + trained
                    + "', whose projector cannot be rebuilt from the checkpoint");
            }
            chosen = trained == null || trained.isEmpty() ? fallback : trained;
        }
        try {
            return Pipeline.preset(chosen.equals("v1_fewshot") ? "v1-fewshot" : chosen);
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException(e.getMessage());
        }
    }

    /**
     * @param file a checkpoint, or null
     * @return the adapter, or null when {@code file} is null
     * @throws IOException if the file is missing or no loader reads it
     */
    static FeatureAdapter loadAdapter(Path file) throws IOException {
        if (file == null) {
            return null;
        }
        try {
            return FeatureAdapterLoader.loadAny(file);
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException(e.getMessage());
        }
    }
}
