package io.github.pointclip.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes every reader: {@link ReaderFuzzMain} mutates seed files of every format (xyz, txt, csv,
 * pts, npy, PLY ascii and binary in both byte orders, PCD ascii and binary, OFF, OBJ, STL ascii and
 * binary, ModelNet40 h5), reads and projects each in a child JVM with a 128 MiB heap and a time
 * limit per file. Every outcome must be a valid result or the format's checked exception.
 *
 * <p>The seed is fixed so that a failure is reproducible; {@code -Dpointclip.fuzz.seed=N} and
 * {@code -Dpointclip.fuzz.files=N} explore further. A failing mutant is kept under the
 * {@code failures} folder that the failure message names.
 */
class ReaderFuzzTest {

    private static final long SEED = Long.getLong("pointclip.fuzz.seed", 20261207L);
    private static final int FILES = Integer.getInteger("pointclip.fuzz.files", 510);

    @TempDir
    Path dir;

    @Test
    void everyMutantIsAValidResultOrTheFormatsCheckedException() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long start = System.nanoTime();
        Process child = new ProcessBuilder(List.of(java, "-Xmx128m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp", System.getProperty("java.class.path"), ReaderFuzzMain.class.getName(), dir.toString(),
            Long.toString(SEED), Integer.toString(FILES)))
            .redirectErrorStream(true)
            .start();
        byte[] output = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(3, TimeUnit.MINUTES), "fuzzer did not finish");
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), text);
        List<String> bad = text.lines().filter(l -> l.startsWith("BAD")).toList();
        assertTrue(bad.isEmpty(), "seed " + SEED + ": " + bad.size() + " mutants failed:\n"
            + String.join("\n", bad));
        Matcher summary = Pattern.compile("files=(\\d+) valid=(\\d+) rejected=(\\d+) bad=0").matcher(text);
        assertTrue(summary.find(), text);
        int files = Integer.parseInt(summary.group(1));
        int valid = Integer.parseInt(summary.group(2));
        int rejected = Integer.parseInt(summary.group(3));
        assertEquals(FILES, files);
        assertEquals(files, valid + rejected);
        // both outcomes occur: the mutations neither only break nor never break the files
        assertTrue(valid > files / 20 && rejected > files / 4, summary.group());
        System.out.printf("reader fuzz: seed %d, %s in %.1f s%n", SEED, summary.group(), seconds);
    }
}
