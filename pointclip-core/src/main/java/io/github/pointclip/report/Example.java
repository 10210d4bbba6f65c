package io.github.pointclip.report;

import io.github.pointclip.projection.spi.DepthMaps;
import java.util.Objects;

/**
 * A sample shown in a report with its depth maps.
 *
 * @param index sample index in the evaluated dataset
 * @param id the sample's id
 * @param label true class name
 * @param predicted predicted class name
 * @param confidence softmax probability of the predicted class
 * @param maps the sample's depth maps
 */
public record Example(int index, String id, String label, String predicted, double confidence, DepthMaps maps) {

    /**
     * Validates the components.
     *
     * @param index sample index
     * @param id sample id
     * @param label true class
     * @param predicted predicted class
     * @param confidence probability of the prediction
     * @param maps depth maps
     */
    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(maps, "maps");
    }

    /** @return whether the prediction is right */
    public boolean correct() {
        return label.equals(predicted);
    }
}
