package io.github.pointclip.onnx.tokenizer;

import io.github.pointclip.io.FileFormatException;
import java.nio.file.Path;

/**
 * A tokenizer vocabulary file is malformed. Carries the file, the 1-based line of the problem
 * where it is known, and what was wrong.
 */
public class VocabularyFormatException extends FileFormatException {

    private static final long serialVersionUID = 1L;

    private VocabularyFormatException(Path file, long line, String reason, Throwable cause) {
        super(file, line, -1, reason, cause);
    }

    /**
     * @param file the file
     * @param line 1-based line number
     * @param reason what was wrong
     * @return the exception
     */
    public static VocabularyFormatException atLine(Path file, long line, String reason) {
        return new VocabularyFormatException(file, line, reason, null);
    }

    /**
     * @param file the file
     * @param line 1-based line number
     * @param reason what was wrong
     * @param cause underlying cause, or null
     * @return the exception
     */
    public static VocabularyFormatException atLine(Path file, long line, String reason, Throwable cause) {
        return new VocabularyFormatException(file, line, reason, cause);
    }

    /**
     * @param file the file
     * @param reason what was wrong with the file as a whole
     * @param cause underlying cause, or null
     * @return the exception
     */
    public static VocabularyFormatException of(Path file, String reason, Throwable cause) {
        return new VocabularyFormatException(file, -1, reason, cause);
    }
}
