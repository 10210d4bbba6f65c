package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

class VersionOptionTest {

    @Test
    void printsTheProjectVersion() {
        String expected = System.getProperty("pointclip.expected.version");
        assertNotNull(expected, "pointclip.expected.version is not set: run this test through Maven");
        Object[] r = ProjectCommandTest.run("--version");
        assertEquals(0, r[0], (String) r[2]);
        assertEquals("pointclip " + expected, ((String) r[1]).strip());
    }
}
