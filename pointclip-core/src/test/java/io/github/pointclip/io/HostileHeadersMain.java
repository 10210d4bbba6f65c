package io.github.pointclip.io;

import io.github.pointclip.cloud.PointCloud;
import java.nio.file.Path;

/**
 * Child-JVM entry point of {@link HostileHeadersTest}: reads each file named on the command line
 * and prints one line per file: its name, then {@code OK <points>} or the class of whatever was
 * thrown and its message with line breaks made visible as {@code <NL>}.
 */
public final class HostileHeadersMain {

    private HostileHeadersMain() {
    }

    /**
     * @param args the files to read
     */
    public static void main(String[] args) {
        for (String arg : args) {
            Path file = Path.of(arg);
            String outcome;
            try {
                PointCloud cloud = PointClouds.read(file);
                outcome = "OK\t" + cloud.size();
            } catch (Throwable t) { // the point of the test: report anything, OutOfMemoryError included
                String message = String.valueOf(t.getMessage()).replace("\r", "<CR>").replace("\n", "<NL>");
                outcome = t.getClass().getName() + "\t" + message;
            }
            System.out.println(file.getFileName() + "\t" + outcome);
        }
    }
}
