package io.github.pointclip.dataset;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-JVM entry point of {@link H5ErrorsTest}: opens a ModelNet40-style folder after setting
 * one byte of its h5 file to every value, and prints a line per value: {@code ok}, the
 * {@code DatasetException} message, or {@code BAD} and whatever else was thrown.
 */
public final class H5CorruptionMain {

    private H5CorruptionMain() {
    }

    /**
     * @param args the folder, the h5 file in it, the offset of the byte to corrupt
     * @throws Exception if the file cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path file = Path.of(args[1]);
        int offset = Integer.parseInt(args[2]);
        byte[] whole = Files.readAllBytes(file);
        for (int value = 0; value < 256; value++) {
            byte[] bytes = whole.clone();
            bytes[offset] = (byte) value;
            Files.write(file, bytes);
            String outcome = "ok";
            try {
                Dataset dataset = Datasets.modelNet40(dir, Split.TEST);
                for (int i = 0; i < dataset.size(); i++) {
                    dataset.get(i);
                }
            } catch (DatasetException e) {
                outcome = e.getMessage().contains("\n") ? "BAD multi-line " + e.getMessage() : "rejected";
            } catch (Throwable t) { // the point of the test: an OutOfMemoryError is reported, not thrown
                outcome = "BAD " + t;
            }
            System.out.println(value + "\t" + outcome);
        }
    }
}
