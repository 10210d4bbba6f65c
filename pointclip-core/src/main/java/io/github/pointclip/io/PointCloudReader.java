package io.github.pointclip.io;

import io.github.pointclip.cloud.PointCloud;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads point clouds and meshes from files in any {@link PointCloudFormat}, configured by
 * {@link ReadOptions}. The format comes from {@link ReadOptions#format()} or else the file
 * extension. Files are streamed through a small buffer into primitive arrays: memory is about
 * the size of the resulting cloud, never the whole file as text.
 *
 * <p>A malformed file raises {@link PointCloudFormatException} naming the file, the 1-based line
 * (text) or byte offset (binary) and what was wrong. Immutable and thread-safe; each
 * {@link #read(Path)} is independent.
 */
public final class PointCloudReader {

    private static final Logger LOG = LoggerFactory.getLogger(PointCloudReader.class);

    private final ReadOptions options;

    private PointCloudReader(ReadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param options the read options
     * @return a reader using them
     */
    public static PointCloudReader of(ReadOptions options) {
        return new PointCloudReader(options);
    }

    /** @return a reader with {@link ReadOptions#defaults()} */
    public static PointCloudReader withDefaults() {
        return new PointCloudReader(ReadOptions.defaults());
    }

    /** @return this reader's options */
    public ReadOptions options() {
        return options;
    }

    /**
     * Returns the format this reader uses for a file: the configured override, else the one its
     * extension names.
     *
     * @param file the file
     * @return the format
     * @throws PointCloudFormatException if there is no override and the extension is unknown
     */
    public PointCloudFormat formatOf(Path file) throws PointCloudFormatException {
        if (options.format().isPresent()) {
            return options.format().get();
        }
        return PointCloudFormat.fromPath(file).orElseThrow(() -> PointCloudFormatException.of(file,
            "unknown point-cloud file extension; known: " + knownExtensions()
                + " (or set ReadOptions.format to choose one)", null));
    }

    private static String knownExtensions() {
        return Arrays.stream(PointCloudFormat.values()).flatMap(f -> f.extensions().stream())
            .map(e -> "." + e).reduce((a, b) -> a + ", " + b).orElse("");
    }

    /**
     * Reads a file.
     *
     * @param file the file
     * @return the cloud: the points, or the vertices of a mesh, or points sampled on its surface
     *     when {@link ReadOptions#samplePoints()} is positive and it has faces
     * @throws PointCloudFormatException if the file is malformed, empty, holds a non-finite
     *     coordinate (unless dropping), or more than {@link ReadOptions#maxPoints()} points
     * @throws IOException if the file cannot be read
     */
    public PointCloud read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        PointCloudFormat format = formatOf(file);
        long size = Files.size(file);
        if (size == 0) {
            throw PointCloudFormatException.atByte(file, 0, "the file is empty");
        }
        long start = System.nanoTime();
        PointCloud cloud;
        if (format == PointCloudFormat.NPY) {
            cloud = NpyReader.read(file, options);
        } else {
            CloudCollector collector = new CloudCollector(file, options);
            try (ByteInput in = new ByteInput(file, Files.newInputStream(file))) {
                reader(format).read(in, collector, size);
            }
            cloud = collector.finish();
        }
        LOG.debug("read {} as {}: {} in {} ms", file, format, cloud, (System.nanoTime() - start) / 1_000_000);
        return cloud;
    }

    /**
     * Reads a cloud from a stream, for files that are not on a {@link java.nio.file.FileSystem} of the JVM
     * (Hadoop's {@code FileSystem}: HDFS, S3, a byte array...). The result and the errors are those of
     * {@link #read(Path)} on the same bytes.
     *
     * @param in the file's bytes from its start; closed on return, also when reading fails
     * @param size the number of bytes {@code in} holds (the file's length); the readers use it to tell a
     *     truncated file from a corrupt count before allocating
     * @param format the format of the bytes; {@link ReadOptions#format()}, when set, takes precedence
     * @param name what error messages call the file, e.g. its name or URI as a path
     * @return the cloud, as {@link #read(Path)} returns it
     * @throws PointCloudFormatException if the bytes are malformed, empty or hold too many points
     * @throws IOException if the stream fails
     */
    public PointCloud read(InputStream in, long size, PointCloudFormat format, Path name) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(name, "name");
        if (size < 0) {
            in.close();
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        PointCloudFormat chosen = options.format().orElse(format);
        if (size == 0) {
            in.close();
            throw PointCloudFormatException.atByte(name, 0, "the file is empty");
        }
        long start = System.nanoTime();
        PointCloud cloud;
        if (chosen == PointCloudFormat.NPY) {
            cloud = NpyReader.read(in, size, name, options);
        } else {
            CloudCollector collector = new CloudCollector(name, options);
            try (ByteInput input = new ByteInput(name, in)) {
                reader(chosen).read(input, collector, size);
            }
            cloud = collector.finish();
        }
        LOG.debug("read {} as {} from a stream: {} in {} ms", name, chosen, cloud,
            (System.nanoTime() - start) / 1_000_000);
        return cloud;
    }

    private static FormatReader reader(PointCloudFormat format) {
        return switch (format) {
            case XYZ -> new XyzReader();
            case PLY -> new PlyReader();
            case OFF -> new OffReader();
            case OBJ -> new ObjReader();
            case STL -> new StlReader();
            case PCD -> new PcdReader();
            case NPY -> throw new AssertionError("npy is read by NpyReader");
        };
    }

    @Override
    public String toString() {
        return "PointCloudReader[" + options + "]";
    }
}
