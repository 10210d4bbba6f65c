package io.github.pointclip.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.io.FileFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLibraryTest {

    @TempDir
    Path dir;

    @Test
    void theBuiltInLibraryHasThePapersFourFamiliesWrittenForDepthMaps() {
        CommandLibrary lib = CommandLibrary.pointClipV2();
        assertEquals(List.of("caption-generation", "question-answering", "paraphrase-generation", "words-to-sentence"),
            List.copyOf(lib.families().keySet()));
        for (Map.Entry<String, List<String>> f : lib.families().entrySet()) {
            assertTrue(f.getValue().size() >= 5, f.getKey() + " has at least five phrasings");
            for (String t : f.getValue()) {
                assertEquals(1, t.split("\\{}", -1).length - 1, "one placeholder in '" + t + "'");
                String lower = t.toLowerCase(java.util.Locale.ROOT);
                assertTrue(lower.contains("depth") || lower.contains("point cloud") || lower.contains("3d")
                    || lower.contains("points"), "written for depth maps or point clouds: " + t);
            }
            assertEquals(f.getValue().size(), Set.copyOf(f.getValue()).size(), "no repeated phrasing");
        }
        assertTrue(lib.system().contains("depth map"));
        assertEquals("Describe a depth map of a flower pot in one sentence.",
            new CommandLibrary.Command("c", "Describe a depth map of a {} in one sentence.").forClass("flower_pot"));
    }

    @Test
    void aFileReplacesOrExtendsTheLibrary() throws Exception {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "{\"system\": \"Be short.\", \"question-answering\": [\"What is a {}?\"],"
            + " \"lidar\": [\"Describe a LiDAR scan of a {}.\"]}");
        CommandLibrary mine = CommandLibrary.fromJson(file);
        assertEquals(2, mine.size());
        assertEquals("Be short.", mine.system());
        CommandLibrary both = CommandLibrary.pointClipV2().plus(mine);
        assertEquals(CommandLibrary.pointClipV2().size() + 2, both.size());
        assertEquals("What is a {}?", both.families().get("question-answering").get(6));
        assertEquals(List.of("Describe a LiDAR scan of a {}."), both.families().get("lidar"));
        assertEquals("Be short.", both.system());
        assertEquals(mine, CommandLibrary.fromJson(writeBack(mine)), "the file form round-trips");
    }

    private Path writeBack(CommandLibrary lib) throws Exception {
        Path f = dir.resolve("back.json");
        Files.writeString(f, lib.toJson().toString());
        return f;
    }

    @Test
    void badFilesNameTheFileAndTheProblem() throws Exception {
        Path noPlaceholder = dir.resolve("a.json");
        Files.writeString(noPlaceholder, "{\"caption\": [\"Describe a chair.\"]}");
        FileFormatException e = assertThrows(FileFormatException.class, () -> CommandLibrary.fromJson(noPlaceholder));
        assertTrue(e.getMessage().contains(noPlaceholder.toString()) && e.getMessage().contains("no {} placeholder"),
            e.getMessage());
        Path broken = dir.resolve("b.json");
        Files.writeString(broken, "{\"caption\": [\n\"x {}\",\n");
        e = assertThrows(FileFormatException.class, () -> CommandLibrary.fromJson(broken));
        assertTrue(e.getMessage().contains(broken + ":3"), e.getMessage());
        Path notList = dir.resolve("c.json");
        Files.writeString(notList, "{\"caption\": \"x {}\"}");
        e = assertThrows(FileFormatException.class, () -> CommandLibrary.fromJson(notList));
        assertTrue(e.getMessage().contains("must be an array"), e.getMessage());
        Path empty = dir.resolve("d.json");
        Files.writeString(empty, "{\"system\": \"x\"}");
        e = assertThrows(FileFormatException.class, () -> CommandLibrary.fromJson(empty));
        assertTrue(e.getMessage().contains("at least one family"), e.getMessage());
    }

    @Test
    void theArticlePlaceholderFollowsTheNamesFirstLetter() {
        CommandLibrary.Command c = new CommandLibrary.Command("c", "Describe a depth map of {a} {}. {A} {} has a shape.");
        assertEquals("Describe a depth map of an airplane. An airplane has a shape.", c.forClass("airplane"));
        assertEquals("Describe a depth map of a flower pot. A flower pot has a shape.", c.forClass("flower_pot"));
        assertEquals("Describe a depth map of an Ottoman. An Ottoman has a shape.", c.forClass("Ottoman"));
        assertEquals("a", CommandLibrary.article("xbox"));
        for (String t : CommandLibrary.pointClipV2().commands().stream().map(CommandLibrary.Command::template).toList()) {
            assertTrue(!t.contains(" a {}"), "the built-in library writes {a} {}: " + t);
            String airplane = new CommandLibrary.Command("f", t).forClass("airplane");
            assertTrue(!airplane.contains(" a airplane") && !airplane.contains("{"), airplane);
        }
        assertTrue(CommandLibrary.pointClipV2().commands().stream()
            .anyMatch(cmd -> cmd.forClass("airplane").contains("of an airplane")));
    }
}
