package io.github.pointclip.detection;

import io.github.pointclip.cloud.PointCloud;
import java.util.List;

/**
 * Where class-agnostic box proposals come from: the user's own 3-D detector, a file of boxes, or the
 * built-in {@link ClusterProposer} baseline. Implementations should be deterministic for a given
 * scene and settings.
 */
@FunctionalInterface
public interface ProposalSource {

    /**
     * @param scene the scene
     * @return proposals, in any order; a proposal's score (when it has one) multiplies the class probability
     */
    List<Box> propose(PointCloud scene);
}
