package io.github.pointclip.crosspoint;

import java.util.Arrays;
import java.util.Locale;

/**
 * The architecture of a CrossPoint point encoder: the backbone kind, its layer widths, the width of its
 * embedding layer, the neighbourhood size of DGCNN's k-NN graph and the projection heads' hidden width.
 * The global feature is {@code embDims} wide for PointNet (max pool) and {@code 2·embDims} for DGCNN (max and
 * average pool concatenated, as the reference does).
 *
 * @param kind {@code pointnet} or {@code dgcnn}
 * @param widths the per-point layer widths before the embedding layer (PointNet: 64, 64, 64, 128; DGCNN's
 *     EdgeConv layers: 64, 64, 128, 256)
 * @param embDims width of the last per-point layer (1024 in the references)
 * @param k neighbours per point in DGCNN's graph (20 in the reference; ignored by PointNet)
 * @param headHidden hidden width of the two projection heads
 * @param imidDim output width of the intra-modal head (256 in the reference)
 */
public record EncoderConfig(String kind, int[] widths, int embDims, int k, int headHidden, int imidDim) {
    /** PointNet's name. */
    public static final String POINTNET = "pointnet";
    /** DGCNN's name. */
    public static final String DGCNN = "dgcnn";

    /** Validates and copies. */
    public EncoderConfig {
        kind = kind == null ? null : kind.toLowerCase(Locale.ROOT);
        if (!POINTNET.equals(kind) && !DGCNN.equals(kind)) {
            throw new IllegalArgumentException("encoder kind must be pointnet or dgcnn, got " + kind);
        }
        widths = widths.clone();
        if (widths.length == 0 || Arrays.stream(widths).anyMatch(w -> w < 1) || embDims < 1 || headHidden < 1
                || imidDim < 1 || (DGCNN.equals(kind) && k < 1)) {
            throw new IllegalArgumentException("bad encoder settings: widths " + Arrays.toString(widths) + ", embedding "
                    + embDims + ", k " + k + ", head " + headHidden + ", imid " + imidDim);
        }
    }

    /**
     * PointNet as CrossPoint evaluates it: shared MLP 3→64→64→64→128→1024 with batch norm and ReLU, max pool;
     * heads 1024→1024→(256 | CLIP width).
     *
     * @return the configuration
     */
    public static EncoderConfig pointNet() {
        return new EncoderConfig(POINTNET, new int[] {64, 64, 64, 128}, 1024, 0, 1024, 256);
    }

    /**
     * DGCNN as in CrossPoint's reference: four EdgeConv layers (64, 64, 128, 256) on a dynamic k-NN graph with
     * k = 20, a 512→1024 embedding layer, max and average pool (2048 wide); heads 2048→1024→(256 | CLIP width).
     *
     * @return the configuration
     */
    public static EncoderConfig dgcnn() {
        return new EncoderConfig(DGCNN, new int[] {64, 64, 128, 256}, 1024, 20, 1024, 256);
    }

    /**
     * A CPU-sized DGCNN: the same graph (k = 20) with half the widths (32, 32, 64, 128), a 256→512 embedding
     * layer and 512-wide heads.
     *
     * @return the configuration
     */
    public static EncoderConfig dgcnnLite() {
        return new EncoderConfig(DGCNN, new int[] {32, 32, 64, 128}, 512, 20, 512, 256);
    }

    /**
     * A preset by name: {@code pointnet}, {@code dgcnn} or {@code dgcnn-lite}.
     *
     * @param name the preset's name (case-insensitive)
     * @return the configuration
     * @throws IllegalArgumentException for another name
     */
    public static EncoderConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "pointnet" -> pointNet();
            case "dgcnn" -> dgcnn();
            case "dgcnn-lite" -> dgcnnLite();
            default -> throw new IllegalArgumentException("unknown encoder '" + name
                    + "': expected pointnet, dgcnn or dgcnn-lite");
        };
    }

    /**
     * The same architecture with other widths: for tests and small experiments.
     *
     * @param layerWidths per-point layer widths
     * @param embedding embedding width
     * @param hidden heads' hidden width
     * @return the configuration
     */
    public EncoderConfig withWidths(int[] layerWidths, int embedding, int hidden) {
        return new EncoderConfig(kind, layerWidths, embedding, k, hidden, imidDim);
    }

    /**
     * @param neighbours DGCNN's k
     * @return the configuration with another k
     */
    public EncoderConfig withK(int neighbours) {
        return new EncoderConfig(kind, widths, embDims, neighbours, headHidden, imidDim);
    }

    /** @return the per-point layer widths (a copy) */
    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** @return the width of the global feature: embDims for PointNet, 2·embDims for DGCNN */
    public int featureDim() {
        return DGCNN.equals(kind) ? 2 * embDims : embDims;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncoderConfig c && kind.equals(c.kind) && Arrays.equals(widths, c.widths)
                && embDims == c.embDims && k == c.k && headHidden == c.headHidden && imidDim == c.imidDim;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(widths) * 17 + embDims * 7 + k * 5 + headHidden * 3 + imidDim;
    }

    @Override
    public String toString() {
        return kind + Arrays.toString(widths) + "→" + embDims + (DGCNN.equals(kind) ? ", k " + k : "") + ", heads "
                + headHidden + "→" + imidDim;
    }
}
