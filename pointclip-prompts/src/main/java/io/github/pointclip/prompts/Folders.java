package io.github.pointclip.prompts;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creating the folders that output and cache files go into, with one-line messages that say what was wrong. */
final class Folders {

    private Folders() {
    }

    /**
     * Creates a folder and its parents.
     *
     * @param dir the folder
     * @param what what needs it, the start of the message, e.g. {@code cannot create the response cache folder X}
     * @throws IOException with a one-line message, naming the file in the way when there is one
     */
    static void create(Path dir, String what) throws IOException {
        Path blocker = fileInTheWay(dir);
        if (blocker != null) {
            throw new IOException(what + ": " + blocker + " is a file, not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw explain(what, e);
        }
    }

    /** @return the first existing path from the root down to {@code dir} that is not a folder, or null */
    static Path fileInTheWay(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path p = abs.getRoot();
        for (Path part : abs) {
            p = p == null ? part : p.resolve(part);
            if (!Files.exists(p)) {
                return null;
            }
            if (!Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * @param what what failed, e.g. {@code cannot write p.json}
     * @param e the failure (the JDK's file system exceptions name only a path)
     * @return an exception with one line saying what and why, the failure as cause
     */
    static IOException explain(String what, IOException e) {
        String why;
        if (e instanceof FileAlreadyExistsException f) {
            why = f.getFile() + " already exists and is not a folder";
        } else if (e instanceof AccessDeniedException f) {
            why = "permission denied (" + f.getFile() + ")";
        } else if (e instanceof java.nio.file.DirectoryNotEmptyException f) {
            why = f.getFile() + " is a folder";
        } else if (e instanceof FileSystemException f) {
            why = (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason())
                + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new IOException(what + ": " + why.replaceAll("\\R", " "), e);
    }
}
