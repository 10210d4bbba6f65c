package io.github.pointclip.onnx.bundle;

import java.nio.file.Path;

/** A file's SHA-256 digest differs from the one declared for it. */
public class ChecksumMismatchException extends BundleException {

    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    /**
     * @param file the file whose content was hashed
     * @param expected the declared digest, lower-case hex
     * @param actual the digest of the content, lower-case hex
     */
    public ChecksumMismatchException(Path file, String expected, String actual) {
        super(file, "SHA-256 mismatch: expected " + expected + ", actual " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    /** @return the declared digest, lower-case hex */
    public String expected() {
        return expected;
    }

    /** @return the digest of the content, lower-case hex */
    public String actual() {
        return actual;
    }
}
