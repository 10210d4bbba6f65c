package io.github.pointclip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.io.PointCloudFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The up-front read: every sample read once, the first bad file thrown, or bad samples left out and listed. */
class ReadCheckTest {

    @TempDir
    Path root;

    /** Two classes of 7 shapes; the given files (class/name) are corrupt. */
    private Dataset folder(String... corrupt) throws IOException {
        for (String c : List.of("chair", "lamp")) {
            Files.createDirectories(root.resolve(c));
            for (int k = 0; k < 7; k++) {
                Files.writeString(root.resolve(c).resolve("s" + k + ".xyz"), "0 0 0\n1 0 0\n0 1 " + k + "\n");
            }
        }
        for (String c : corrupt) {
            Files.writeString(root.resolve(c), "0 0 0\n1 0\n");
        }
        return Datasets.folder(root, Split.TEST);
    }

    @Test
    void aGoodDatasetIsReturnedAsItIs() throws IOException {
        Dataset data = folder();
        ReadCheck.Outcome o = ReadCheck.check(data, false, 3);
        assertSame(data, o.readable());
        assertTrue(o.skipped().isEmpty());
    }

    @Test
    void theFirstBadFileIsThrownWhateverTheThreadsFoundFirst() throws IOException {
        Dataset data = folder("lamp/s6.xyz", "chair/s2.xyz");
        IOException e = assertThrows(IOException.class, () -> ReadCheck.check(data, false, 4));
        assertTrue(e.getMessage().startsWith(root.resolve("chair/s2.xyz") + ":2: "), e.getMessage());
    }

    @Test
    void theStopIsOneLineThatCountsAndNothingIsLoggedBesideIt() throws IOException {
        Dataset data = folder("lamp/s6.xyz", "chair/s2.xyz", "lamp/s0.xyz");
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        IOException e;
        try {
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            e = assertThrows(IOException.class, () -> ReadCheck.check(data, false, 2));
            assertEquals(1, ReadCheck.check(folder("lamp/s6.xyz"), true, 2).skipped().size());
        } finally {
            System.setErr(stderr);
        }
        String m = e.getMessage();
        assertTrue(m.startsWith(root.resolve("chair/s2.xyz") + ":2: ") && m.contains("3 unreadable samples")
            && m.contains("--skip-bad") && !m.contains("\n"), m);
        assertEquals(root.resolve("chair/s2.xyz"), ((PointCloudFormatException) e).file(), "the reader's type is kept");
        assertEquals("", logged.toString(StandardCharsets.UTF_8), "the caller reports; the library adds no warning");
    }

    @Test
    void badSamplesAreLeftOutAndListedInIndexOrder() throws IOException {
        Dataset data = folder("lamp/s6.xyz", "chair/s2.xyz");
        ReadCheck.Outcome o = ReadCheck.check(data, true, 4);
        assertEquals(12, o.readable().size());
        assertEquals(List.of(2, 13), o.skipped().stream().map(ReadCheck.Unreadable::index).toList());
        assertEquals(data.id(2), o.skipped().get(0).id());
        assertTrue(o.skipped().get(1).reason().startsWith(root.resolve("lamp/s6.xyz") + ":2: "), o.skipped().get(1).reason());
        assertEquals(data.id(3), o.readable().id(2));
        assertEquals(1, o.readable().label(11));
    }

    @Test
    void underALimitOnlyTheFirstSamplesAreKept() throws IOException {
        Dataset data = folder("chair/s2.xyz");
        ReadCheck.Outcome o = ReadCheck.apply(data, 5, ReadCheck.unreadable(data, new int[] {0, 1, 2, 3, 4}, 2), true);
        assertEquals(4, o.readable().size());
        assertEquals(data.id(4), o.readable().id(3));
    }

    @Test
    void noReadableSampleIsAnError() throws IOException {
        Dataset data = folder("chair/s0.xyz");
        IOException e = assertThrows(IOException.class,
            () -> ReadCheck.apply(data, 1, ReadCheck.unreadable(data, new int[] {0}, 1), true));
        assertTrue(e.getMessage().startsWith("no sample of " + data.name() + " can be read; the first: "), e.getMessage());
    }
}
