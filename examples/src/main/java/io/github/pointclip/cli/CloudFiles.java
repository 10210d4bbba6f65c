package io.github.pointclip.cli;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.NpyArray;
import java.io.IOException;
import java.nio.file.Path;

/** Reads the clouds the commands take. */
final class CloudFiles {

    private CloudFiles() {
    }

    static PointCloud read(Path file, boolean dropNonFinite, int meshPoints, long seed) throws IOException {
        // TODO replaced by PointClouds.read once the readers land
        NpyArray a = NpyArray.read(file);
        return dropNonFinite ? PointCloud.ofDroppingNonFinite(a.data()) : PointCloud.of(a.data());
    }
}
