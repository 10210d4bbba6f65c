package io.github.pointclip.projection.spi;

import java.util.ServiceLoader;
import java.util.TreeSet;

/** Looks up projectors by name among the {@link ProjectorFactory}s on the class path. */
public final class Projectors {

    private Projectors() {
    }

    /**
     * @param name e.g. {@code v1}, {@code v1-fewshot} or {@code v2}
     * @return a new projector
     * @throws IllegalArgumentException naming the known projectors when none matches
     */
    public static Projector byName(String name) {
        TreeSet<String> known = new TreeSet<>();
        for (ProjectorFactory f : ServiceLoader.load(ProjectorFactory.class, Projectors.class.getClassLoader())) {
            if (f.names().contains(name)) {
                return f.create(name);
            }
            known.addAll(f.names());
        }
        throw new IllegalArgumentException("unknown projector '" + name + "'; known: "
            + (known.isEmpty() ? "none (add io.github.pointclip:pointclip-projection to the class path)" : known));
    }
}
