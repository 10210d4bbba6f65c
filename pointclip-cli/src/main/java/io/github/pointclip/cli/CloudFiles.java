package io.github.pointclip.cli;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.io.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the clouds the commands take, with the CLI's reading options. */
final class CloudFiles {

    private CloudFiles() {
    }

    /**
     * @param file the point cloud or mesh
     * @param options how to read it (mesh sampling, non-finite points)
     * @return the cloud
     * @throws PointClipCli.BadInputException if {@code file} is a directory
     * @throws IOException if the file is missing or malformed
     */
    static PointCloud read(Path file, ReadOptions options) throws IOException {
        if (Files.isDirectory(file)) {
            throw new PointClipCli.BadInputException("--input " + file + " is a directory; give point-cloud or mesh "
                + "files (a folder of class folders is a dataset: eval --dataset folder --data " + file + ")");
        }
        return PointClouds.read(file, options);
    }
}
