package io.github.pointclip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of PointCLIP for Java, e.g. {@code 0.1.0}: what evaluation reports and adapter
 * checkpoints record and what {@code pointclip --version} prints.
 *
 * <p>The build writes the project version into a resource of this jar
 * ({@code io/github/pointclip/version.properties}), so the version is right whether the
 * classes run from a jar, from {@code target/classes} in tests, or shaded into the command-line
 * jar. Only a build that skipped Maven's resource filtering (some IDE setups) reports
 * {@value #UNKNOWN}.
 */
public final class Version {

    /** Reported when the version resource is missing or was not filtered. */
    public static final String UNKNOWN = "unknown";

    private static final String RESOURCE = "version.properties";
    private static final String VERSION = load();

    private Version() {
    }

    /**
     * @return the project version this library was built as, e.g. {@code 0.1.0} or
     *     {@code 0.2.0-SNAPSHOT}; never null
     */
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            return fromProperties(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/github/pointclip/" + RESOURCE, e);
        }
    }

    /**
     * @param properties the content of the version resource
     * @return its {@code version}, or {@link #UNKNOWN} when absent, blank or still a Maven
     *     placeholder
     */
    static String fromProperties(Properties properties) {
        String version = properties.getProperty("version", "").strip();
        return version.isEmpty() || version.contains("${") ? UNKNOWN : version;
    }
}
