package io.github.pointclip.encoder;

import java.io.IOException;

/**
 * A backend that loads CLIP models, found with {@link java.util.ServiceLoader} (register the
 * implementation in {@code META-INF/services/io.github.pointclip.encoder.ClipModelProvider}).
 * {@code pointclip-onnx} provides {@code "onnx"}.
 */
public interface ClipModelProvider {

    /** @return the provider's name, e.g. {@code "onnx"} */
    String name();

    /** @return the priority among providers; the highest wins when none is named */
    int priority();

    /**
     * Loads a model.
     *
     * @param request what to load and how
     * @return the model; the caller closes it
     * @throws ModelNotFoundException (unchecked) if no model can be found where the request and the
     *     configuration point, listing each place tried
     * @throws ModelDownloadException (unchecked) if the model had to be downloaded and the network
     *     failed (refused, unknown host, timed out), naming the address
     * @throws IOException if a model was found but cannot be read or loaded
     */
    ClipModel open(ModelRequest request) throws IOException;
}
