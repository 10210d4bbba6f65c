package io.github.pointclip.projection;

import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.ProjectorFactory;
import java.util.Set;

/** Registers the presets {@code v1}, {@code v1-fewshot} and {@code v2} with {@link io.github.pointclip.projection.spi.Projectors}. */
public final class BuiltInProjectors implements ProjectorFactory {

    /** Creates the factory (called by {@link java.util.ServiceLoader}). */
    public BuiltInProjectors() {
    }

    @Override
    public Set<String> names() {
        return Set.of("v1", "v1-fewshot", "v2");
    }

    @Override
    public Projector create(String name) {
        switch (name) {
            case "v1":
                return SparsePerspectiveProjector.pointClipV1();
            case "v1-fewshot":
                return SparsePerspectiveProjector.pointClipV1FewShot();
            case "v2":
                return RealisticProjector.pointClipV2();
            default:
                throw new IllegalArgumentException("unknown projector '" + name + "'; known: " + names());
        }
    }
}
