package io.github.pointclip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void isTheVersionInThePom() {
        // the parent pom passes ${project.version} to surefire
        String expected = System.getProperty("pointclip.expected.version");
        assertNotNull(expected, "pointclip.expected.version is not set: run this test through Maven");
        assertEquals(expected, Version.get());
    }

    @Test
    void unfilteredOrMissingVersionIsUnknown() {
        assertEquals(Version.UNKNOWN, Version.fromProperties(new Properties()));
        Properties unfiltered = new Properties();
        unfiltered.setProperty("version", "${project.version}");
        assertEquals(Version.UNKNOWN, Version.fromProperties(unfiltered));
        Properties release = new Properties();
        release.setProperty("version", " 1.2.3 ");
        assertEquals("1.2.3", Version.fromProperties(release));
    }
}
