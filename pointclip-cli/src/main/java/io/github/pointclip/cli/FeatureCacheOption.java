package io.github.pointclip.cli;

import io.github.pointclip.adapter.train.FeatureCache;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cache} option of the commands that encode through the few-shot feature cache. */
public final class FeatureCacheOption {

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache folder (default: <cache>/adapter-features).")
    Path cache;

    /** @return the cache in the chosen folder, or the default one */
    FeatureCache open() {
        return cache == null ? FeatureCache.defaultCache() : new FeatureCache(cache);
    }
}
