package io.github.pointclip.adapter.checkpoint;

import io.github.pointclip.encoder.FeatureAdapter;
import io.github.pointclip.encoder.FeatureAdapterLoader;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@link AdapterCheckpoint}s ({@code *.safetensors}) for {@code PointClip.builder().adapter(path)};
 * registered in {@code META-INF/services/io.github.pointclip.encoder.FeatureAdapterLoader}.
 */
public final class SafeTensorsAdapterLoader implements FeatureAdapterLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SafeTensorsAdapterLoader.class);

    /** Creates the loader (called by {@link java.util.ServiceLoader}). */
    public SafeTensorsAdapterLoader() {
    }

    @Override
    public boolean accepts(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".safetensors");
    }

    @Override
    public FeatureAdapter load(Path file) throws IOException {
        AdapterCheckpoint checkpoint = AdapterCheckpoint.load(file);
        LOG.info("loaded adapter {}: {} views × {}, {} classes, pipeline {}, backbone {}", file, checkpoint.views(),
                checkpoint.embeddingDim(), checkpoint.classNames().size(), checkpoint.pipeline(), checkpoint.backbone());
        return checkpoint.toHead();
    }
}
