package io.github.pointclip.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The point-cloud and mesh file formats that {@link PointCloudReader} reads, each with the file
 * extensions that select it (case-insensitive).
 */
public enum PointCloudFormat {

    /**
     * Text, one point per line: x y z then any extra columns, separated by whitespace or commas;
     * {@code #} starts a comment. A first line of column names (CSV header) or a single point
     * count (Leica PTS) is recognised and skipped.
     */
    XYZ(false, "xyz", "txt", "csv", "pts"),
    /** NumPy array, float32 or float64 (or integer), shape [N, ≥3]; columns after z are extra. */
    NPY(false, "npy"),
    /**
     * Stanford PLY, ascii or binary in either byte order; vertex x y z of any numeric type, other
     * properties kept as attributes, faces (list properties) used for sampling or skipped.
     */
    PLY(true, "ply"),
    /** Object File Format mesh ({@code OFF}, {@code COFF}, {@code NOFF}), with {@code #} comments. */
    OFF(true, "off"),
    /** Wavefront OBJ mesh: {@code v} and {@code f} lines (negative indices, {@code v/vt/vn}). */
    OBJ(true, "obj"),
    /** Stereolithography triangle mesh, ascii or binary (detected from the content). */
    STL(true, "stl"),
    /** Point Cloud Library PCD: ascii, binary or binary_compressed. */
    PCD(false, "pcd");

    private final boolean mesh;
    private final List<String> extensions;

    PointCloudFormat(boolean mesh, String... extensions) {
        this.mesh = mesh;
        this.extensions = List.of(extensions);
    }

    /** @return the lower-case extensions, without dot, that select this format */
    public List<String> extensions() {
        return extensions;
    }

    /** @return true if files of this format may hold faces, which {@link ReadOptions#samplePoints()} samples */
    public boolean mayHaveFaces() {
        return mesh;
    }

    /**
     * Detects the format from a file name's extension, case-insensitively.
     *
     * @param file the file
     * @return the format, or empty if the extension is unknown
     */
    public static Optional<PointCloudFormat> fromPath(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String text = name.toString();
        int dot = text.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String extension = text.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (PointCloudFormat format : values()) {
            if (format.extensions.contains(extension)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
