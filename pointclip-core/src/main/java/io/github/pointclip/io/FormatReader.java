package io.github.pointclip.io;

import java.io.IOException;

/** Reads one file format from a {@link ByteInput} into a {@link CloudCollector}. */
interface FormatReader {

    /**
     * @param in the file's bytes, positioned at its start
     * @param out receives the points, attributes and faces
     * @param fileSize the file's size in bytes
     * @throws PointCloudFormatException if the file is malformed
     * @throws IOException if reading fails
     */
    void read(ByteInput in, CloudCollector out, long fileSize) throws IOException;
}
