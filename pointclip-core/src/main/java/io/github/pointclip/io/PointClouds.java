package io.github.pointclip.io;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Entry point for point-cloud files: read any {@link PointCloudFormat}, write {@code .npy} and
 * {@code .ply}. Writes are atomic: a failure leaves an existing file unchanged.
 *
 * <pre>{@code
 * PointCloud scan = PointClouds.read(Path.of("scan.ply"));     // every point
 * PointCloud chair = PointClouds.read(Path.of("chair.off"));   // 1024 points on the surface, seed 0
 * PointCloud sampled = PointClouds.read(Path.of("chair.off"),
 *     ReadOptions.builder().samplePoints(2048).seed(7).build());
 * PointClouds.writeNpy(sampled, Path.of("chair_1024.npy"));
 * }</pre>
 */
public final class PointClouds {

    private PointClouds() {
    }

    /**
     * Reads a file with the default options: format from the extension; a point-cloud file
     * (.xyz, .pcd, .npy, .ply without faces...) gives all its points; a mesh (.obj, .off, .stl,
     * .ply with faces) gives {@value ReadOptions#DEFAULT_MESH_POINTS} points sampled uniformly
     * on its surface with seed 0; a non-finite coordinate fails the read. For the vertices of a
     * mesh use {@code ReadOptions.builder().samplePoints(0)}.
     *
     * @param file the file
     * @return the cloud
     * @throws PointCloudFormatException if the file is malformed
     * @throws IOException if it cannot be read
     * @see PointCloudReader#read(Path)
     */
    public static PointCloud read(Path file) throws IOException {
        return PointCloudReader.withDefaults().read(file);
    }

    /**
     * Reads a file with the given options.
     *
     * @param file the file
     * @param options the read options
     * @return the cloud
     * @throws PointCloudFormatException if the file is malformed
     * @throws IOException if it cannot be read
     * @see PointCloudReader#read(Path)
     */
    public static PointCloud read(Path file, ReadOptions options) throws IOException {
        return PointCloudReader.of(options).read(file);
    }

    /**
     * Writes the coordinates as a float32 little-endian {@code .npy} array of shape [N, 3]
     * (attributes are not written), atomically.
     *
     * @param cloud the cloud
     * @param file the target; parent directories are created
     * @throws IOException if writing fails; the target is then unchanged
     */
    public static void writeNpy(PointCloud cloud, Path file) throws IOException {
        Objects.requireNonNull(cloud, "cloud");
        NpyArray.write(file, cloud.toArray(), cloud.size(), 3);
    }

    /**
     * Writes a binary little-endian PLY file, atomically: float x y z and the attributes
     * ("normal" as nx ny nz, "color" as red green blue, others as float properties), which
     * {@link #read(Path)} reads back.
     *
     * @param cloud the cloud
     * @param file the target; parent directories are created
     * @throws IOException if writing fails; the target is then unchanged
     */
    public static void writePly(PointCloud cloud, Path file) throws IOException {
        Objects.requireNonNull(cloud, "cloud");
        PlyWriter.write(cloud, file);
    }
}
