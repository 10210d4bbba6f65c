package io.github.pointclip.cli;

import io.github.pointclip.detection.ClusterProposer;
import io.github.pointclip.detection.UpAxis;
import picocli.CommandLine.Option;

/**
 * The main settings of the built-in cluster proposer ({@code --proposals cluster}) for {@code detect} and
 * {@code eval --task detection}; the defaults are {@link ClusterProposer.Builder}'s.
 */
final class ClusterOptions {

    @Option(names = "--cluster-tolerance", paramLabel = "D", defaultValue = "" + ClusterProposer.DEFAULT_CLUSTER_TOLERANCE,
        description = "Cluster proposer: points closer than D (scene units) share a cluster; the voxel edge "
            + "(default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--min-cluster-points", paramLabel = "N",
        defaultValue = "" + ClusterProposer.DEFAULT_MIN_CLUSTER_POINTS,
        description = "Cluster proposer: smaller clusters are no proposal (default: ${DEFAULT-VALUE}).")
    int minPoints;

    @Option(names = "--max-extent", paramLabel = "E", defaultValue = "" + ClusterProposer.DEFAULT_MAX_EXTENT,
        description = "Cluster proposer: clusters larger than E on any axis (scene units) are no proposal "
            + "(default: ${DEFAULT-VALUE}).")
    double maxExtent;

    @Option(names = "--max-planes", paramLabel = "K", defaultValue = "" + ClusterProposer.DEFAULT_MAX_PLANES,
        description = "Cluster proposer: RANSAC removes at most K floor/wall/ceiling planes first; 0 for none "
            + "(default: ${DEFAULT-VALUE}).")
    int maxPlanes;

    /** The options' names. */
    static final java.util.List<String> NAMES = java.util.List.of("--cluster-tolerance", "--min-cluster-points",
        "--max-extent", "--max-planes");

    /**
     * Refuses the cluster proposer's settings when the boxes come from elsewhere, rather than ignoring them.
     *
     * @param spec the command
     * @param where where the boxes come from instead, for the message
     * @throws PointClipCli.BadInputException if one of the options was given
     */
    static void refuse(picocli.CommandLine.Model.CommandSpec spec, String where) {
        for (String option : NAMES) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new PointClipCli.BadInputException(option + " applies to --proposals cluster only, not to " + where);
            }
        }
    }

    /**
     * @param up the scene's up axis
     * @param seed the RANSAC seed
     * @return the proposer with these settings
     * @throws PointClipCli.BadInputException for a setting out of range, naming the option
     */
    ClusterProposer proposer(UpAxis up, long seed) {
        if (!(tolerance > 0) || !Double.isFinite(tolerance)) {
            throw new PointClipCli.BadInputException("--cluster-tolerance must be positive and finite, got " + tolerance);
        }
        if (minPoints < 1) {
            throw new PointClipCli.BadInputException("--min-cluster-points must be ≥ 1, got " + minPoints);
        }
        if (!(maxExtent > 0) || !Double.isFinite(maxExtent)) {
            throw new PointClipCli.BadInputException("--max-extent must be positive and finite, got " + maxExtent);
        }
        if (maxPlanes < 0) {
            throw new PointClipCli.BadInputException("--max-planes must be ≥ 0, got " + maxPlanes);
        }
        return ClusterProposer.builder().upAxis(up).seed(seed).clusterTolerance(tolerance).minClusterPoints(minPoints)
            .maxExtent(maxExtent).maxPlanes(maxPlanes).build();
    }
}
