package io.github.pointclip.encoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ServiceLoader;

/** The lookup shared by the checkpoint loader SPIs: the first provider on the class path that reads a file. */
final class CheckpointLoading {

    /** One provider: does it read the file, and reading it. */
    interface Reader<L, T> {
        boolean accepts(L loader, Path file);

        T load(L loader, Path file) throws IOException;
    }

    private CheckpointLoading() {
    }

    /**
     * @param what what the checkpoint holds, for messages ("adapter", "point encoder")
     * @param artifact the artifact that provides a loader, for messages
     */
    static <L, T> T loadAny(Path file, Class<L> service, Reader<L, T> reader, String what, String artifact)
            throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory; expected " + article(what) + " " + what
                + " checkpoint file (.safetensors)");
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        boolean anyLoader = false;
        for (L loader : ServiceLoader.load(service, service.getClassLoader())) {
            anyLoader = true;
            if (reader.accepts(loader, file)) {
                return reader.load(loader, file);
            }
        }
        if (!anyLoader) {
            throw new IllegalArgumentException("no " + what + " loader reads " + file + ": add the "
                + "io.github.pointclip:" + artifact + " dependency (" + article(what) + " " + what
                + " checkpoint is a .safetensors file)");
        }
        throw new IllegalArgumentException("no " + what + " loader reads " + file + ": unknown extension, "
            + article(what) + " " + what + " checkpoint is a .safetensors file");
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }
}
