package io.github.pointclip.detection;

/**
 * Which scene axis points up: it decides whether crops are turned before projection and which planes
 * the {@link ClusterProposer} takes as floors. It does not change boxes: a {@link Box}'s heading is
 * always about the scene's z axis and its third size along z, and {@link TopView} always looks down z.
 */
public enum UpAxis {
    /**
     * z up (ScanNet, most LiDAR): a crop is turned {@code (x, y, z) → (x, z, −y)} before projection,
     * into the y-up frame of the ModelNet shapes the classifier's views were tuned on.
     */
    Z,
    /** y up (ModelNet-like scenes): crops are projected as they are. */
    Y
}
