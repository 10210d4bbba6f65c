package io.github.pointclip.projection.spi;

import java.util.Set;

/**
 * Creates projectors by name, found with {@link java.util.ServiceLoader} (register in
 * {@code META-INF/services/io.github.pointclip.projection.spi.ProjectorFactory}); this is how the
 * facade in core gets the {@code v1}/{@code v2} presets from {@code pointclip-projection}.
 */
public interface ProjectorFactory {

    /** @return the names this factory knows, e.g. {@code v1}, {@code v1-fewshot}, {@code v2} */
    Set<String> names();

    /**
     * @param name one of {@link #names()}
     * @return a new projector
     */
    Projector create(String name);
}
