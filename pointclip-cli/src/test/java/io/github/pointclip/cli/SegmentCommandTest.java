package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.segmentation.PartPrompts;
import io.github.pointclip.segmentation.PartSegmentation;
import io.github.pointclip.segmentation.SegmentationLayout;
import io.github.pointclip.segmentation.SegmentationOptions;
import io.github.pointclip.segmentation.ShapeNetPart;
import io.github.pointclip.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pointclip segment} on the tiny model (which has {@code token_embeds}): the JSON lines equal the API's
 * answer, the PLY and PNG outputs; its refusals are one line on stderr and exit 2.
 */
class SegmentCommandTest {

    static Path tinyModel(Path dir) throws IOException {
        TinyClipModels.writeAll(dir, TinyClipModels.SEED);
        dir = dir.resolve("openai");
        Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), dir.resolve("bpe_simple_vocab_16e6.txt.gz"));
        return dir;
    }

    @Test
    void jsonLinesEqualTheApiAndTheOutputsAreWritten(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        Path ply = dir.resolve("parts.ply"), png = dir.resolve("parts.png");
        System.setProperty("pointclip.cache", cache.toString());
        try {
            Object[] r = ProjectCommandTest.run("segment", "--model", model.toString(), "--input", chair(),
                "--category", "chair", "--layout", "official", "--json", "--output-ply", ply.toString(),
                "--png", png.toString());
            assertEquals(0, r[0], (String) r[2]);
            List<String> lines = ((String) r[1]).strip().lines().toList();
            assertEquals(1, lines.size());
            JsonNode node = new ObjectMapper().readTree(lines.get(0));
            assertEquals(List.of("input", "category", "parts", "point_labels", "point_logits"),
                iterate(node.fieldNames()));
            assertEquals(chair(), node.get("input").asText());
            assertEquals("chair", node.get("category").asText());
            List<String> parts = ShapeNetPart.category("chair").partNames();
            assertEquals(parts.size(), node.get("parts").size());
            PointCloud cloud = PointCloud.of(NpyArray.read(Path.of(chair())).data());
            PartSegmentation api;
            try (PointClip clip = PointClip.builder().model(model).build()) {
                api = clip.segment(cloud, PartPrompts.of("chair", parts),
                    SegmentationOptions.builder().layout(SegmentationLayout.OFFICIAL).build());
            }
            assertEquals(2048, node.get("point_labels").size(), "every point, not the first 1024");
            for (int i = 0; i < 2048; i++) {
                assertEquals(api.label(i), node.get("point_labels").get(i).asInt());
                for (int p = 0; p < parts.size(); p++) {
                    assertEquals(api.logit(i, p), node.get("point_logits").get(i).get(p).floatValue(), 1e-6f);
                }
            }
            PointCloud written = PointClouds.read(ply);
            assertEquals(2048, written.size());
            float[] part = written.attribute("part");
            for (int i = 0; i < 2048; i++) {
                assertEquals(api.label(i), (int) part[i]);
            }
            assertEquals(3, written.attributeWidth("color"));
            String header = new String(Files.readAllBytes(ply), java.nio.charset.StandardCharsets.ISO_8859_1);
            header = header.substring(0, header.indexOf("end_header"));
            assertTrue(header.contains("property int part\n"), "an integer label, not a float: " + header);
            assertTrue(header.contains("property uchar red\nproperty uchar green\nproperty uchar blue\n"), header);
            float[] color = written.attribute("color");
            for (int i = 0; i < 2048; i++) {
                int rgb = io.github.pointclip.segmentation.SegmentationSheet.color(api.label(i));
                assertEquals(rgb >> 8 & 0xff, (int) color[3 * i + 1]);
            }
            BufferedImage sheet = ImageIO.read(png.toFile());
            assertEquals(5 * 224 + 6 * 4, sheet.getWidth());
            assertEquals(2 * 224 + 3 * 4, sheet.getHeight());
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void explicitPartsPromptsAndFirstPoints(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        System.setProperty("pointclip.cache", cache.toString());
        try {
            Object[] r = ProjectCommandTest.run("segment", "--model", model.toString(), "--input", chair(),
                "--category", "thing", "--parts", "top_part,bottom", "--prompts", "the top|the bottom", "--first", "100",
                "--json");
            assertEquals(0, r[0], (String) r[2]);
            JsonNode node = new ObjectMapper().readTree(((String) r[1]).strip());
            assertEquals("top_part", node.get("parts").get(0).asText(), "names echoed as given");
            assertEquals(100, node.get("point_labels").size());
            assertEquals(2, node.get("point_logits").get(0).size());
            r = ProjectCommandTest.run("segment", "--model", model.toString(), "--input", chair(),
                "--category", "Chair", "--parts", " back , seat", "--first", "10", "--json");
            assertEquals(0, r[0], (String) r[2]);
            node = new ObjectMapper().readTree(((String) r[1]).strip());
            assertEquals("chair", node.get("category").asText(), "ShapeNetPart's spelling of a category matched in any case");
            assertEquals("[\"back\",\"seat\"]", node.get("parts").toString(), "trimmed, as --help says");
            Object[] plain = ProjectCommandTest.run("segment", "--model", model.toString(), "--input", chair(),
                "--category", "mug", "--official-prompts", "--official-view-weights");
            assertEquals(0, plain[0], (String) plain[2]);
            assertTrue(((String) plain[1]).contains(": mug, 2048 points: handle "), (String) plain[1]);
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void aModelWithoutDenseFeaturesIsOneLine(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        Files.write(model.resolve("visual.onnx"),
            TinyClipModels.visualModel(TinyClipModels.Layout.OPENAI, TinyClipModels.SEED, false));
        System.setProperty("pointclip.cache", cache.toString());
        try {
            assertBadInput("no 'token_embeds' output", "segment", "--model", model.toString(), "--input", chair(),
                "--category", "chair", "--json");
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void coordinatesThatOverflowFloat32AreOneLineAndExit2(@TempDir Path dir, @TempDir Path cache) throws IOException {
        Path model = tinyModel(dir.resolve("model"));
        Path huge = dir.resolve("huge.xyz");
        Files.writeString(huge, "2e38 2e38 2e38\n2.1e38 2.1e38 2.1e38\n2.05e38 2e38 2.1e38\n");
        System.setProperty("pointclip.cache", cache.toString());
        try {
            assertBadInput("overflows float32", "segment", "--model", model.toString(), "--input", huge.toString(),
                "--category", "chair", "--json");
        } finally {
            System.clearProperty("pointclip.cache");
        }
    }

    @Test
    void outputPathsAreCheckedBeforeAnyWork(@TempDir Path dir) throws IOException {
        // dir is no model: the refusal comes before the model is loaded or anything is segmented or printed
        assertBadInput("--output-ply: " + dir + " is a directory", "segment", "--model", dir.toString(),
            "--input", chair(), "--category", "chair", "--output-ply", dir.toString());
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertBadInput("--png: cannot create the folder of", "segment", "--model", dir.toString(),
            "--input", chair(), "--category", "chair", "--png", file.resolve("sub/out.png").toString());
    }

    private static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static String chair() {
        return SharedData.require("golden/segmentation/synthetic_chair_2048.npy").toString();
    }

    private static void assertBadInput(String expected, String... args) {
        Object[] r = ProjectCommandTest.run(args);
        assertEquals(2, r[0], (String) r[2]);
        String err = ((String) r[2]).strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(expected), err);
        assertEquals("", r[1], "nothing on stdout");
    }

    @Test
    void anUnknownCategoryNeedsParts(@TempDir Path dir) {
        assertBadInput("'teapot' is not a ShapeNetPart category", "segment", "--model", dir.toString(),
            "--input", chair(), "--category", "teapot");
    }

    @Test
    void thePromptCountMustMatchTheParts(@TempDir Path dir) {
        assertBadInput("--prompts has 2 sentences but there are 4 parts", "segment", "--model", dir.toString(),
            "--input", chair(), "--category", "chair", "--prompts", "a back|a seat");
        assertBadInput("--prompts has 3 sentences but there are 2 parts", "segment", "--model", dir.toString(),
            "--input", chair(), "--category", "mug", "--parts", "handle,cup", "--prompts", "a|b|c");
    }

    @Test
    void viewWeightsLayoutAndPointsAreChecked(@TempDir Path dir) {
        assertBadInput("exactly 10 values, got 3", "segment", "--model", dir.toString(), "--input", chair(),
            "--category", "chair", "--view-weights", "1,2,3");
        assertBadInput("expected fixed or official", "segment", "--model", dir.toString(), "--input", chair(),
            "--category", "chair", "--layout", "transposed");
        assertBadInput("--first must be ≥ 0", "segment", "--model", dir.toString(), "--input", chair(),
            "--category", "chair", "--first", "-3");
        assertBadInput("part 'leg' is named twice", "segment", "--model", dir.toString(), "--input", chair(),
            "--category", "chair", "--parts", "leg,leg");
    }
}
