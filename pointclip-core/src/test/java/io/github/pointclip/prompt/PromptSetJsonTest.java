package io.github.pointclip.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.io.FileFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed prompt library is reported on one line naming the file, line and column, in the user's terms. */
class PromptSetJsonTest {

    @Test
    void truncatedLibraryNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prompts.json");
        Files.writeString(file, "{\n  \"chair\": [\"a chair\"],\n  \"lamp\": [\"a lamp\"\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> PromptSet.fromJson(file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ":"), m);
        assertFalse(m.contains("\n") || m.contains("\r"), m);
        assertFalse(m.contains("REDACTED") || m.contains("Source:"), m);
        // the end of input is on line 4; the array that is not closed started on line 3, column 11
        assertTrue(m.contains("line 4, column 1"), m);
        assertTrue(m.contains("line 3, column 11"), m);
        assertEquals(4, e.line());
    }

    @Test
    void badTokenNamesItsLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prompts.json");
        Files.writeString(file, "{\n  \"chair\": [\"a chair\", nope]\n}\n");
        FileFormatException e = assertThrows(FileFormatException.class, () -> PromptSet.fromJson(file));
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("REDACTED") || m.contains("Source:"), m);
        assertTrue(m.contains("line 2, column") && m.contains("'nope'"), m);
    }
}
