package io.github.pointclip.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small test files by hand, so the readers are checked against independent bytes. */
final class TestFiles {

    /** Reads meshes as their vertices, not the default surface sample. */
    static final ReadOptions VERTICES = ReadOptions.builder().samplePoints(0).build();

    private TestFiles() {
    }

    static Path text(Path dir, String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        return file;
    }

    /** A byte sink with explicit byte order, for hand-made binary files. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;

        Bytes(ByteOrder order) {
            this.order = order;
        }

        int size() {
            return out.size();
        }

        Bytes ascii(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes i16(int v) {
            out.writeBytes(ByteBuffer.allocate(2).order(order).putShort((short) v).array());
            return this;
        }

        Bytes i32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).order(order).putInt(v).array());
            return this;
        }

        Bytes f32(float... vs) {
            for (float v : vs) {
                out.writeBytes(ByteBuffer.allocate(4).order(order).putFloat(v).array());
            }
            return this;
        }

        Bytes f64(double... vs) {
            for (double v : vs) {
                out.writeBytes(ByteBuffer.allocate(8).order(order).putDouble(v).array());
            }
            return this;
        }

        Bytes bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes zeros(int n) {
            out.writeBytes(new byte[n]);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        Path writeTo(Path file) throws IOException {
            Files.write(file, out.toByteArray());
            return file;
        }
    }

    static Bytes little() {
        return new Bytes(ByteOrder.LITTLE_ENDIAN);
    }

    static Bytes big() {
        return new Bytes(ByteOrder.BIG_ENDIAN);
    }

    /**
     * Compresses with LZF the plain way (for each position, the longest earlier match of 3 to 264
     * bytes within 8 KiB, else a literal), independently of the reader's decoder.
     */
    static byte[] lzf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream literal = new ByteArrayOutputStream();
        int i = 0;
        while (i < in.length) {
            int bestLength = 0;
            int bestDistance = 0;
            for (int from = Math.max(0, i - 8192); from < i; from++) {
                int n = 0;
                while (n < 264 && i + n < in.length && in[from + n] == in[i + n]) {
                    n++;
                }
                if (n > bestLength) {
                    bestLength = n;
                    bestDistance = i - from;
                }
            }
            if (bestLength >= 3) {
                flushLiteral(out, literal);
                int len = bestLength - 2;
                int off = bestDistance - 1;
                if (len < 7) {
                    out.write(len << 5 | off >> 8);
                } else {
                    out.write(7 << 5 | off >> 8);
                    out.write(len - 7);
                }
                out.write(off & 0xff);
                i += bestLength;
            } else {
                literal.write(in[i++]);
                if (literal.size() == 32) {
                    flushLiteral(out, literal);
                }
            }
        }
        flushLiteral(out, literal);
        return out.toByteArray();
    }

    private static void flushLiteral(ByteArrayOutputStream out, ByteArrayOutputStream literal) {
        if (literal.size() > 0) {
            out.write(literal.size() - 1);
            out.writeBytes(literal.toByteArray());
            literal.reset();
        }
    }
}
