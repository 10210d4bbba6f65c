package io.github.pointclip.encoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds {@link ClipModelProvider}s on the class path and opens models with them. The provider
 * is the one named explicitly, else the one named by the system property
 * {@code pointclip.provider} or the environment variable {@code POINTCLIP_PROVIDER}, else the
 * one with the highest priority.
 */
public final class ClipModels {

    private ClipModels() {
    }

    /** @return the providers found, highest priority first */
    public static List<ClipModelProvider> providers() {
        List<ClipModelProvider> found = new ArrayList<>();
        ServiceLoader.load(ClipModelProvider.class, ClipModels.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(ClipModelProvider::priority).reversed());
        return found;
    }

    /**
     * @param name provider name, or null for the configured or highest-priority one
     * @return the provider
     * @throws IllegalStateException if none is found, listing those that were
     */
    public static ClipModelProvider provider(String name) {
        String wanted = name;
        if (wanted == null) {
            wanted = System.getProperty("pointclip.provider");
        }
        if (wanted == null) {
            wanted = System.getenv("POINTCLIP_PROVIDER");
        }
        List<ClipModelProvider> all = providers();
        if (all.isEmpty()) {
            throw new IllegalStateException("no CLIP model provider on the class path; add the "
                + "io.github.pointclip:pointclip-onnx dependency");
        }
        if (wanted == null || wanted.isBlank()) {
            return all.get(0);
        }
        for (ClipModelProvider p : all) {
            if (p.name().equalsIgnoreCase(wanted.trim())) {
                return p;
            }
        }
        throw new IllegalStateException("no CLIP model provider named '" + wanted + "'; found: "
            + all.stream().map(ClipModelProvider::name).collect(Collectors.joining(", ")));
    }

    /**
     * Opens a model with the configured provider.
     *
     * @param request what to load
     * @param providerName provider name, or null
     * @return the model
     * @throws ModelNotFoundException (unchecked) if no model can be found, listing where it looked
     * @throws ModelDownloadException (unchecked) if the model had to be downloaded and the network failed
     * @throws IOException if a model was found but loading it fails
     */
    public static ClipModel open(ModelRequest request, String providerName) throws IOException {
        return provider(providerName).open(request);
    }
}
