package io.github.pointclip.cli;

import io.github.pointclip.encoder.PointEncoder;
import io.github.pointclip.encoder.PointEncoderLoadException;
import io.github.pointclip.encoder.PointEncoderLoader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loads point-encoder checkpoints for the commands, failing as the facade does (one line naming the file). */
final class Encoders {

    private Encoders() {
    }

    /**
     * @param file the checkpoint
     * @param option the option that named it, for the message
     * @return the encoder; the caller closes it
     * @throws PointEncoderLoadException if it cannot be loaded (exit 2)
     */
    static PointEncoder load(Path file, String option) {
        try {
            return PointEncoderLoader.loadAny(file);
        } catch (NoSuchFileException e) {
            throw new PointEncoderLoadException(file, "file not found (" + option + ")", e);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            String prefix = file + ": ";
            throw new PointEncoderLoadException(file, m.startsWith(prefix) ? m.substring(prefix.length()) : m, e);
        } catch (IllegalArgumentException e) {
            throw new PointEncoderLoadException(file, e.getMessage() + " (" + option + ")", e);
        }
    }
}
