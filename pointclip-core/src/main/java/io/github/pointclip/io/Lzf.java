package io.github.pointclip.io;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decompresses LZF (liblzf's format, used by PCD {@code binary_compressed}): a control byte
 * below 32 starts a literal run of control + 1 bytes; otherwise its top three bits (7 meaning
 * "plus the next byte") plus 2 give a length and its low five bits with the next byte an offset
 * back into the output. Every read and copy is bounds-checked, and the output grows as it is
 * produced, never beyond the declared size.
 */
final class Lzf {

    private Lzf() {
    }

    /**
     * @param file the file, for error messages
     * @param offset file offset of {@code in}, for error messages
     * @param in the compressed bytes
     * @param size the declared uncompressed size, which the output must match exactly
     * @return the decompressed bytes
     * @throws PointCloudFormatException if the data is corrupt or does not decompress to {@code size}
     */
    static byte[] decompress(Path file, long offset, byte[] in, int size) throws PointCloudFormatException {
        byte[] out = new byte[Math.min(size, Math.max(1 << 16, 4 * in.length))];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int len = ctrl + 1;
                if (ip + len > in.length) {
                    throw corrupt(file, offset + ip - 1, "a literal run of " + len + " bytes passes the end");
                }
                if (op + len > size) {
                    throw corrupt(file, offset + ip - 1, "the data decompresses to more than " + size + " bytes");
                }
                out = room(out, op + len, size);
                System.arraycopy(in, ip, out, op, len);
                ip += len;
                op += len;
                continue;
            }
            int len = ctrl >>> 5;
            if (len == 7) {
                if (ip >= in.length) {
                    throw corrupt(file, offset + ip, "a back reference is cut off");
                }
                len += in[ip++] & 0xff;
            }
            if (ip >= in.length) {
                throw corrupt(file, offset + ip, "a back reference is cut off");
            }
            int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
            len += 2;
            if (ref < 0) {
                throw corrupt(file, offset + ip - 2, "a back reference points before the start of the data");
            }
            if (op + len > size) {
                throw corrupt(file, offset + ip - 2, "the data decompresses to more than " + size + " bytes");
            }
            out = room(out, op + len, size);
            for (int i = 0; i < len; i++) { // byte by byte: the source may overlap what is written
                out[op++] = out[ref++];
            }
        }
        if (op != size) {
            throw corrupt(file, offset + in.length, "the data decompresses to " + op + " bytes, " + size
                + " were declared");
        }
        return out.length == size ? out : Arrays.copyOf(out, size);
    }

    private static byte[] room(byte[] out, int needed, int size) {
        if (needed <= out.length) {
            return out;
        }
        return Arrays.copyOf(out, (int) Math.min(size, Math.max(needed, 2L * out.length)));
    }

    private static PointCloudFormatException corrupt(Path file, long offset, String reason) {
        return PointCloudFormatException.atByte(file, offset, "corrupt LZF data in binary_compressed PCD: " + reason);
    }
}
