package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.io.PointClouds;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's traps: what a mistyped or pointless option does. None of these cases loads a model. */
class CliTrapsTest {

    @TempDir
    Path dir;

    private Path cloud(String name) throws IOException {
        float[] xyz = new float[3 * 40];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) Math.cos(i * 0.71);
        }
        Path file = dir.resolve(name);
        PointClouds.writePly(PointCloud.of(xyz), file);
        return file;
    }

    private static void assertBadInput(Object[] r, String... fragments) {
        String err = (String) r[2];
        assertEquals(2, r[0], err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "'" + f + "' in: " + err);
        }
        assertEquals("", r[1], "nothing on stdout");
    }

    @Test
    void aTypoAfterAMultiValueOptionIsAnUnknownOptionNotAFileName() throws IOException {
        String a = cloud("a.ply").toString();
        String b = cloud("b.ply").toString();
        Object[] r = ProjectCommandTest.run("classify", "--input", a, b, "--lables", "chair,lamp", "--offline");
        assertBadInput(r, "Unknown option: '--lables'", "did you mean --labels?");
        assertFalse(((String) r[2]).contains("not found"), (String) r[2]);
        assertFalse(((String) r[2]).contains("Expected parameter"), "the unknown option alone: " + r[2]);

        // the same in every command with a multi-value option or positional parameters
        r = ProjectCommandTest.run("tokenize", "--vocab", a, "a chair", "--truncat");
        assertBadInput(r, "Unknown option: '--truncat'", "did you mean --truncate?");

        // a value that looks like an option is refused instead of swallowed
        r = ProjectCommandTest.run("classify", "--input", a, "--template", "--labels", "chair");
        assertBadInput(r, "--template");
        r = ProjectCommandTest.run("classify", "--input", a, "--labels", "--top", "3");
        assertBadInput(r, "--labels");
        r = ProjectCommandTest.run("search", "views", "--data", dir.toString(), "--dataset", "folder", "--out",
            "--cache", "x");
        assertBadInput(r, "--out");
    }

    @Test
    void optionsThatDoNothingInTheChosenModeAreErrors() throws IOException {
        String a = cloud("a.ply").toString();
        String[][] cases = {
            {"classify", "--input", a, "--pipeline", "v1", "--kernel", "mish"},
            {"classify", "--input", a, "--pipeline", "v1-fewshot", "--sigma", "2"},
            {"classify", "--input", a, "--json", "--top", "3"},
            {"classify", "--input", a, "--prompts", a, "--template", "a {}"},
            {"project", "--projector", "v1", "--input", a, "--output", dir.resolve("o.npy").toString(), "--kernel-size", "5"},
            {"search", "views", "--data", dir.toString(), "--dataset", "folder", "--out", "w.json", "--view-weights", "1,1"},
            {"search", "views", "--data", dir.toString(), "--dataset", "folder", "--out", "w.json", "--passes", "3"},
            {"search", "prompts", "--data", dir.toString(), "--dataset", "folder", "--out", "w.json", "--candidates", a,
                "--steps", "3"},
            {"search", "views", "--data", dir.toString(), "--dataset", "folder", "--out", "w.json", "--split", "train",
                "--val-fraction", "0.3"},
            {"search", "views", "--data", dir.toString(), "--dataset", "folder", "--out", "w.json", "--allow-test-split"},
            {"search", "views", "--data", dir.toString(), "--dataset", "folder", "--out", "w.json", "--cache", "c",
                "--no-cache"},
            {"fewshot", "--data", dir.toString(), "--dataset", "folder", "--out", "a.safetensors", "--view-weights", "1"},
            {"fewshot", "--data", dir.toString(), "--dataset", "folder", "--out", "a.safetensors", "--kernel", "mish"},
            {"fewshot", "--data", dir.toString(), "--dataset", "folder", "--out", "a.safetensors", "--val-shots", "0",
                "--val-fraction", "0.5"},
            {"fewshot", "--data", dir.toString(), "--dataset", "folder", "--out", "a.safetensors", "--allow-test-split"},
            {"eval", "--data", dir.toString(), "--dataset", "folder", "--report", "r", "--cache", "c", "--no-cache"},
        };
        String[] expected = {
            "--kernel shapes the V2 projection; the 'v1' pipeline",
            "--sigma shapes the V2 projection; the 'v1-fewshot' pipeline",
            "--top does nothing with --json",
            "--template does not apply to --prompts",
            "the 'v1' projector does not smooth",
            "--view-weights does nothing in 'search views'",
            "--passes does nothing in 'search views'",
            "--steps does nothing in 'search prompts'",
            "--val-fraction does nothing with --split train",
            "--allow-test-split does nothing",
            "--cache DIR or --no-cache",
            "--view-weights does nothing in fewshot",
            "cannot be used with fewshot",
            "--val-fraction does nothing with --val-shots 0",
            "--allow-test-split does nothing with --train-split train",
            "--cache DIR or --no-cache",
        };
        for (int i = 0; i < cases.length; i++) {
            assertBadInput(ProjectCommandTest.run(cases[i]), expected[i]);
        }
    }

    @Test
    void topZeroNegativePointsAndADirectoryAsInputAreRefused() throws IOException {
        String a = cloud("a.ply").toString();
        assertBadInput(ProjectCommandTest.run("classify", "--input", a, "--top", "0"), "--top must be ≥ 1, got 0");
        assertBadInput(ProjectCommandTest.run("classify", "--input", a, "--points", "-1"), "--points must be ≥ 0");
        Path folder = Files.createDirectories(dir.resolve("clouds"));
        assertBadInput(ProjectCommandTest.run("classify", "--input", a, folder.toString()),
            "--input " + folder + " is a directory");
        assertBadInput(ProjectCommandTest.run("project", "--input", folder.toString(), "--output",
            dir.resolve("o.npy").toString()), "is a directory");
        assertBadInput(ProjectCommandTest.run("classify", "--input", a, "--view-weights", "1,2,x"),
            "neither a comma-separated list of numbers nor a JSON file");
        Path notWeights = dir.resolve("w.json");
        Files.writeString(notWeights, "{\"weights\": [1, 2]}");
        assertBadInput(ProjectCommandTest.run("classify", "--input", a, "--view-weights", notWeights.toString()),
            "w.json has no \"view_weights\" array");
        assertBadInput(ProjectCommandTest.run("classify", "--input", a, "--pipeline", "v1", "--view-weights", "1,1"),
            "pipeline 'v1' has 6 views but 2 view weights");
    }

    @Test
    void theFirstOptionValueNotAnOptionStillWorks() throws IOException {
        // a negative number is a value, not an option; a template starting with '-' passes attached
        Path npy = dir.resolve("maps.npy");
        Object[] r = ProjectCommandTest.run("project", "--input", cloud("c.ply").toString(), "--output", npy.toString(),
            "--kernel", "exponential", "--sigma", "-2");
        assertEquals(2, r[0], "the kernel refuses a negative scale, parsed as a number: " + r[2]);
        assertTrue(((String) r[2]).contains("--kernel-size/--sigma"), (String) r[2]);
        r = ProjectCommandTest.run("project", "--input", cloud("d.ply").toString(), "--output", npy.toString(),
            "--kernel", "exponential", "--sigma", "2");
        assertEquals(0, r[0], (String) r[2]);
    }

    @Test
    void versionComesFromTheJarManifestOrItsPomProperties() throws IOException {
        Path withManifest = dir.resolve("m.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "1.2.3");
        try (OutputStream o = Files.newOutputStream(withManifest); JarOutputStream jar = new JarOutputStream(o, m)) {
            jar.putNextEntry(new JarEntry("x.txt"));
        }
        assertEquals("1.2.3", PointClipCli.Version.of(withManifest));

        Path withPom = dir.resolve("p.jar");
        Manifest bare = new Manifest();
        bare.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream o = Files.newOutputStream(withPom); JarOutputStream jar = new JarOutputStream(o, bare)) {
            jar.putNextEntry(new JarEntry("META-INF/maven/io.github.pointclip/pointclip-cli/pom.properties"));
            jar.write("groupId=io.github.pointclip\nversion=0.4.0-SNAPSHOT\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals("0.4.0-SNAPSHOT", PointClipCli.Version.of(withPom));
        assertNull(PointClipCli.Version.of(dir), "a class folder declares no version");

        Object[] r = ProjectCommandTest.run("--version");
        assertEquals(0, r[0]);
        assertTrue(((String) r[1]).startsWith("pointclip "), (String) r[1]);
    }
}
