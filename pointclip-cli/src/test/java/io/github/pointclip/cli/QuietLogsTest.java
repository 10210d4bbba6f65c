package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's logging, checked in a fresh JVM through {@code main} (slf4j-simple reads its levels once,
 * when the first logger is made): quiet by default, the project's INFO lines with {@code --verbose}.
 */
class QuietLogsTest {

    @TempDir
    Path dir;

    /** Runs {@code pointclip args} in a new JVM on the test class path; returns {exit code, stdout, stderr}. */
    private Object[] runMain(String... args) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", classPath, "-Dpointclip.cache=" + dir.resolve("cache"), "-Djava.awt.headless=true",
            PointClipCli.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI finished");
        return new Object[] {p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8)};
    }

    private Path tinyModel() throws IOException {
        return TinyClipModels.writeOpenAiBundle(dir.resolve("model"));
    }

    /** A folder of clouds: a .ply without faces, an .xyz file and an .obj mesh. */
    private List<String> inputs() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("clouds"));
        StringBuilder xyz = new StringBuilder();
        StringBuilder ply = new StringBuilder("ply\nformat ascii 1.0\nelement vertex 30\nproperty float x\n"
            + "property float y\nproperty float z\nend_header\n");
        for (int i = 0; i < 30; i++) {
            String line = String.format(Locale.ROOT, "%f %f %f%n", Math.sin(i), Math.cos(i * 0.7), i / 30.0);
            xyz.append(line);
            ply.append(line);
        }
        Files.writeString(folder.resolve("a.xyz"), xyz);
        Files.writeString(folder.resolve("b.ply"), ply);
        Files.writeString(folder.resolve("c.obj"), "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 2 3\nf 1 2 4\nf 1 3 4\nf 2 3 4\n");
        List<String> files = new ArrayList<>();
        for (String f : new String[] {"a.xyz", "b.ply", "c.obj"}) {
            files.add(folder.resolve(f).toString());
        }
        return files;
    }

    @Test
    void classifyAndEvalAreQuietByDefaultAndVerboseShowsTheProjectsInfoLines() throws Exception {
        String model = tinyModel().toString();
        List<String> classify = new ArrayList<>(List.of("classify", "--model", model, "--labels", "chair,lamp",
            "--input"));
        classify.addAll(inputs());

        Object[] r = runMain(classify.toArray(String[]::new));
        assertEquals(0, r[0], (String) r[2]);
        assertEquals(3, ((String) r[1]).strip().lines().count(), (String) r[1]);
        assertEquals("", r[2], "nothing on stderr by default");

        // eval on the h5 dataset goes through jHDF, whose "development version" warning stays hidden
        Path mini = SharedData.require("data/modelnet40-mini");
        r = runMain("eval", "--model", model, "--data", mini.toString(), "--dataset", "modelnet40", "--limit", "5",
            "--no-cache", "--examples", "0", "--report", dir.resolve("report").toString());
        assertEquals(0, r[0], (String) r[2]);
        for (String line : ((String) r[2]).lines().toList()) {
            assertTrue(line.startsWith("eval "), "only the progress bar on stderr: " + r[2]);
        }
        assertFalse(((String) r[2]).contains("jHDF"), (String) r[2]);

        classify.add("--verbose");
        r = runMain(classify.toArray(String[]::new));
        assertEquals(0, r[0], (String) r[2]);
        String err = (String) r[2];
        assertTrue(err.contains("INFO") && err.contains("loaded CLIP"), "the model and execution provider line: " + err);
        assertFalse(err.contains("DEBUG"), err);
        // one line about the execution provider (and why it is the CPU), not one per ONNX session
        assertEquals(1, err.lines().filter(l -> l.contains(" on cpu") || l.contains(" on CPU")).count(), err);
    }
}
