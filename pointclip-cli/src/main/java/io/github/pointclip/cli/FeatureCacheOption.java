package io.github.pointclip.cli;

import io.github.pointclip.adapter.train.FeatureCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The feature-cache options of the commands that encode datasets (eval, fewshot, search): one name
 * everywhere, {@code --cache DIR} and {@code --no-cache}.
 */
public final class FeatureCacheOption {

    @Option(names = "--cache", paramLabel = "DIR",
        description = "Where encoded image features are cached, so a rerun or an interrupted run resumes "
            + "(default: eval: <cache root>/eval-features; fewshot, search: <cache root>/adapter-features).")
    Path cache;

    @Option(names = "--no-cache", description = "Neither read nor write cached features.")
    boolean noCache;

    /** Refuses {@code --cache} together with {@code --no-cache}. */
    void check() {
        if (noCache && cache != null) {
            throw new PointClipCli.BadInputException("give --cache DIR or --no-cache, not both");
        }
    }

    /**
     * @param defaultDirectory the command's default cache folder
     * @return the cache folder, or null with {@code --no-cache}
     */
    Path directory(Path defaultDirectory) {
        check();
        return noCache ? null : cache != null ? cache : defaultDirectory;
    }

    /**
     * @return the few-shot feature cache in the chosen folder; with {@code --no-cache}, one in a
     *     temporary folder that {@link Opened#close()} deletes
     * @throws IOException if the temporary folder cannot be created
     */
    Opened open() throws IOException {
        check();
        if (noCache) {
            Path tmp = Files.createTempDirectory("pointclip-features");
            return new Opened(new FeatureCache(tmp), tmp);
        }
        return new Opened(cache == null ? FeatureCache.defaultCache() : new FeatureCache(cache), null);
    }

    /** An open feature cache; closing it deletes the temporary folder of {@code --no-cache}. */
    static final class Opened implements AutoCloseable {
        private final FeatureCache cache;
        private final Path temporary;

        Opened(FeatureCache cache, Path temporary) {
            this.cache = cache;
            this.temporary = temporary;
        }

        /** @return the cache */
        FeatureCache cache() {
            return cache;
        }

        @Override
        public void close() {
            if (temporary == null) {
                return;
            }
            try (Stream<Path> files = Files.walk(temporary)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
