package io.github.pointclip.onnx.tokenizer;

import java.util.Arrays;

/**
 * GPT-2/CLIP's reversible mapping of the 256 byte values to printable characters, so that BPE
 * works on strings without whitespace or control characters: the printable Latin-1 bytes
 * ({@code !}–{@code ~}, {@code ¡}–{@code ¬}, {@code ®}–{@code ÿ}) stand for themselves, the
 * others get U+0100 onwards in byte order.
 *
 * <p>The base vocabulary lists these characters in {@link #ORDER}: the self-mapped bytes first,
 * then the others; the same with {@code </w>} appended follows.
 */
final class ByteAlphabet {

    /** Byte values in the order of the base vocabulary. */
    static final int[] ORDER;
    /** Character standing for each byte value. */
    static final char[] CHAR_OF_BYTE = new char[256];
    /** Byte value of each character below U+0144, −1 for characters outside the alphabet. */
    private static final int[] BYTE_OF_CHAR = new int[0x144];

    static {
        int[] order = new int[256];
        boolean[] printable = new boolean[256];
        int count = 0;
        for (int b = 0; b < 256; b++) {
            printable[b] = b >= '!' && b <= '~' || b >= 0xa1 && b <= 0xac || b >= 0xae && b <= 0xff;
            if (printable[b]) {
                order[count++] = b;
                CHAR_OF_BYTE[b] = (char) b;
            }
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                order[count++] = b;
                CHAR_OF_BYTE[b] = (char) (0x100 + shifted++);
            }
        }
        ORDER = order;
        Arrays.fill(BYTE_OF_CHAR, -1);
        for (int b = 0; b < 256; b++) {
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private ByteAlphabet() {
    }

    /**
     * @param c a character
     * @return the byte it stands for, or −1 if it is not in the alphabet
     */
    static int byteOf(char c) {
        return c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
    }

    /**
     * @param b a byte value, 0–255
     * @return the one-character string standing for it
     */
    static String symbol(int b) {
        return String.valueOf(CHAR_OF_BYTE[b]);
    }
}
