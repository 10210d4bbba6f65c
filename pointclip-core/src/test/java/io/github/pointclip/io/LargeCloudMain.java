package io.github.pointclip.io;

import io.github.pointclip.cloud.PointCloud;
import java.nio.file.Path;

/** Child-JVM entry point of {@link LargeFileTest}: reads a file and prints what it found. */
public final class LargeCloudMain {

    private LargeCloudMain() {
    }

    /**
     * @param args the file to read
     * @throws Exception on any failure, which makes the exit status non-zero
     */
    public static void main(String[] args) throws Exception {
        PointCloud cloud = PointClouds.read(Path.of(args[0]));
        int last = cloud.size() - 1;
        System.out.println("maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1 << 20));
        System.out.println("points=" + cloud.size());
        System.out.println("last=" + cloud.x(last) + "," + cloud.y(last) + "," + cloud.z(last));
    }
}
