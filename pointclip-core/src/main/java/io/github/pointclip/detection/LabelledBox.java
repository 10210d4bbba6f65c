package io.github.pointclip.detection;

import java.util.Objects;

/**
 * A ground-truth box and its class label.
 *
 * @param box the box
 * @param label the class label
 */
public record LabelledBox(Box box, String label) {

    /**
     * @param box the box, not null
     * @param label the label, not null
     */
    public LabelledBox {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(label, "label");
    }
}
