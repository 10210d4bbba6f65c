package io.github.pointclip.bench;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.internal.FeatureKeys;
import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What keying the feature caches by content costs, on a folder dataset of {@code files} text
 * files of 2048 points (about 55 KB each) in 40 class folders: {@code statIdentity} is
 * {@link FeatureKeys#dataset} (one file-status call per file, what the caches use),
 * {@code hashBytes} reads and SHA-256-hashes every file's bytes (the alternative identity), and
 * {@code readAll} reads and parses every cloud (what the evaluation's up-front check of
 * uncached samples costs on one thread). Per file, divide by {@code files}.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar DatasetIdentityBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class DatasetIdentityBenchmark {

    /** Files in the dataset. */
    @Param({"1000"})
    public int files;

    private Path root;
    private Dataset dataset;

    /** Writes the dataset into a temporary directory. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("pointclip-identity-bench");
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < files; i++) {
            Path dir = root.resolve("class" + i % 40);
            Files.createDirectories(dir);
            StringBuilder s = new StringBuilder(2048 * 30);
            for (int p = 0; p < 2048; p++) {
                s.append(String.format(Locale.ROOT, "%.6f %.6f %.6f%n", r.nextDouble(), r.nextDouble(), r.nextDouble()));
            }
            Files.writeString(dir.resolve("shape_" + i + ".txt"), s);
        }
        dataset = Datasets.folder(root, Split.TEST);
    }

    /** Deletes the dataset. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** @return the dataset's content identity from file status calls */
    @Benchmark
    public String statIdentity() throws IOException {
        return FeatureKeys.dataset(dataset);
    }

    /** @return SHA-256 over every file's bytes */
    @Benchmark
    public byte[] hashBytes() throws IOException {
        MessageDigest md = Sha256.newDigest();
        for (int i = 0; i < dataset.size(); i++) {
            md.update(Files.readAllBytes(root.resolve(dataset.id(i))));
        }
        return md.digest();
    }

    /** @return points read, after parsing every file */
    @Benchmark
    public long readAll() throws IOException {
        long points = 0;
        for (int i = 0; i < dataset.size(); i++) {
            points += dataset.get(i).cloud().size();
        }
        return points;
    }
}
