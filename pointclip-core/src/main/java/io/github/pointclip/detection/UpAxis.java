package io.github.pointclip.detection;

/** Which scene axis points up. */
public enum UpAxis {
    /**
     * z up (ScanNet, most LiDAR): a crop is turned {@code (x, y, z) → (x, z, −y)} before projection,
     * into the y-up frame of the ModelNet shapes the classifier's views were tuned on.
     */
    Z,
    /** y up (ModelNet-like scenes): crops are projected as they are. */
    Y
}
