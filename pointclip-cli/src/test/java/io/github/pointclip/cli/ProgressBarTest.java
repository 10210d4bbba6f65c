package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void withoutAConsoleItPrintsPlainLinesAndTheFinalStateOnce() {
        StringWriter text = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(text), "search", 100, "trials", false)) {
            for (int done = 0; done <= 100; done++) {
                bar.update(done, "best 50.00%");
            }
            bar.update(100, "best 50.00%");
            bar.update(100, "best 50.00%");
        }
        String[] lines = text.toString().split("\\R");
        // the first update, then (well within five seconds) only the final state
        assertEquals(2, lines.length, text.toString());
        assertTrue(lines[0].startsWith("search [") && lines[0].contains(" 0/100"), lines[0]);
        assertTrue(lines[1].contains("100/100") && lines[1].endsWith("best 50.00%"), lines[1]);
        assertTrue(!text.toString().contains("\r"), "no carriage returns in a log");
    }

    @Test
    void onATerminalItRedrawsInPlaceAndEndsTheLineOnClose() {
        StringWriter text = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(text), "encoding", 4, "clouds", true)) {
            bar.update(0, null);
            bar.update(4, null);
            bar.update(4, null);
        }
        String out = text.toString();
        assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
        assertTrue(out.endsWith(System.lineSeparator()) && out.contains("4/4"), out);
    }
}
