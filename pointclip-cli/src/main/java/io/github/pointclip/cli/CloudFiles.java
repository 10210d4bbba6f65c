package io.github.pointclip.cli;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.io.ReadOptions;
import java.io.IOException;
import java.nio.file.Path;

/** Reads the clouds the commands take, with the CLI's reading options. */
final class CloudFiles {

    private CloudFiles() {
    }

    /**
     * @param file the point cloud or mesh
     * @param dropNonFinite drop points with NaN or infinite coordinates instead of failing
     * @param meshPoints points sampled by area from a mesh with faces
     * @param seed sampling seed
     * @return the cloud
     * @throws IOException if the file is missing or malformed
     */
    static PointCloud read(Path file, boolean dropNonFinite, int meshPoints, long seed) throws IOException {
        if (meshPoints < 1) {
            throw new PointClipCli.BadInputException("--points must be positive, got " + meshPoints);
        }
        ReadOptions options = ReadOptions.builder().dropNonFinite(dropNonFinite).samplePoints(meshPoints).seed(seed)
            .build();
        return PointClouds.read(file, options);
    }
}
