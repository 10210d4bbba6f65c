package io.github.pointclip.onnx;

import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.ClipModelProvider;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelResolver;
import java.io.IOException;

/**
 * The {@code onnx} encoder provider: resolves the model directory (explicit path, then
 * {@code pointclip.model} / {@code POINTCLIP_MODEL}, then the cache, then an optional download;
 * see {@link ModelResolver}), detects its layout and opens an {@link OnnxClipModel}.
 * Registered for {@link java.util.ServiceLoader}.
 */
public final class OnnxClipModelProvider implements ClipModelProvider {

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public OnnxClipModelProvider() {
    }

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public ClipModel open(ModelRequest request) throws IOException {
        ModelResolver.Builder resolver = ModelResolver.builder();
        if (request.model() != null) {
            resolver.modelPath(request.model());
        }
        if (request.backbone() != null) {
            resolver.modelName(request.backbone().displayName());
        }
        if (request.offline()) {
            resolver.offline(true);
        }
        ModelBundle bundle = resolver.build().resolve();
        return OnnxClipModel.open(bundle, request);
    }
}
