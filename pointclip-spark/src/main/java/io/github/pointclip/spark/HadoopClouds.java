package io.github.pointclip.spark;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.FileFormatException;
import io.github.pointclip.io.PointCloudFormat;
import io.github.pointclip.io.PointCloudReader;
import io.github.pointclip.io.ReadOptions;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.InvalidPathException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads point clouds through Hadoop's {@link FileSystem}, so that {@code file:}, {@code hdfs:} and
 * {@code s3a:} paths all work, with the core readers (every format the CLI reads, picked by the
 * extension). A file that cannot be read becomes a one-line reason naming its URI, never an exception.
 */
public final class HadoopClouds {

    private final Configuration conf;
    private final PointCloudReader reader;

    /**
     * @param conf the Hadoop configuration (credentials, endpoints of the file systems)
     * @param options how to read (mesh sampling, non-finite points)
     */
    public HadoopClouds(Configuration conf, ReadOptions options) {
        this.conf = conf;
        this.reader = PointCloudReader.of(options);
    }

    /**
     * The cloud of a file, or why it could not be read.
     *
     * @param cloud the cloud, or null when the read failed
     * @param error the reason, one line naming the file, or null when it succeeded
     */
    public record Result(PointCloud cloud, String error) {
    }

    /**
     * @param location a path or URI ({@code s3a://bucket/scan.ply}, {@code hdfs:///x.off}, {@code /data/a.npy})
     * @return the cloud, or the reason it could not be read
     */
    public Result read(String location) {
        if (location == null || location.isBlank()) {
            return new Result(null, "no path (the path column is null or empty)");
        }
        Path path;
        try {
            path = new Path(location);
        } catch (IllegalArgumentException e) {
            return new Result(null, location + ": not a valid path or URI: " + e.getMessage());
        }
        Optional<PointCloudFormat> format = formatOf(path.getName());
        if (format.isEmpty()) {
            return new Result(null, location + ": unknown point-cloud file extension; known: " + Arrays
                .stream(PointCloudFormat.values()).flatMap(f -> f.extensions().stream()).map(e -> "." + e)
                .collect(Collectors.joining(", ")));
        }
        try {
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory()) {
                return new Result(null, location + ": is a directory, not a point-cloud file");
            }
            InputStream in = fs.open(path);
            return new Result(reader.read(in, status.getLen(), format.get(), nameOf(path)), null);
        } catch (FileNotFoundException e) {
            return new Result(null, location + ": no such file");
        } catch (FileFormatException e) {
            String at = e.line() >= 0 ? ":" + e.line() : e.byteOffset() >= 0 ? " at byte " + e.byteOffset() : "";
            return new Result(null, location + at + ": " + e.reason());
        } catch (IOException | RuntimeException e) {
            return new Result(null, location + ": " + oneLine(e));
        }
    }

    private static Optional<PointCloudFormat> formatOf(String name) {
        try {
            return PointCloudFormat.fromPath(java.nio.file.Path.of(name));
        } catch (InvalidPathException e) {
            int dot = name.lastIndexOf('.');
            return dot < 0 ? Optional.empty() : PointCloudFormat.fromPath(java.nio.file.Path.of("f" + name.substring(dot)));
        }
    }

    /** The name the core readers put in their messages (this class replaces it with the URI). */
    private static java.nio.file.Path nameOf(Path path) {
        try {
            return java.nio.file.Path.of(path.getName());
        } catch (InvalidPathException e) {
            return java.nio.file.Path.of("cloud");
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("[\\r\\n]+", " ").strip();
    }
}
