package io.github.pointclip.onnx;

import io.github.pointclip.encoder.ClipModel;
import io.github.pointclip.encoder.ClipModelProvider;
import io.github.pointclip.encoder.ModelDownloadException;
import io.github.pointclip.encoder.ModelRequest;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelResolver;
import io.github.pointclip.onnx.bundle.NetworkException;
import io.github.pointclip.onnx.bundle.ModelVariant;
import java.io.IOException;

/**
 * The {@code onnx} encoder provider: resolves the model directory (explicit path, then
 * {@code pointclip.model} / {@code POINTCLIP_MODEL}, then the cache, then a download from a remote
 * manifest or, for a backbone in the {@link io.github.pointclip.onnx.bundle.ModelCatalog}, from the
 * Hugging Face hub; see {@link ModelResolver}), detects its layout with the request's dtype and opens an
 * {@link OnnxClipModel}. Download progress is logged (SLF4J, INFO) every tenth of a file; a
 * download the network fails ({@link NetworkException}) is a
 * {@link io.github.pointclip.encoder.ModelDownloadException}.
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
        if (request.dtype() != null) {
            resolver.dtype(ModelVariant.fromDtype(request.dtype()));
        }
        resolver.listener(new LoggingDownloadListener());
        ModelBundle bundle;
        try {
            bundle = resolver.build().resolve();
        } catch (NetworkException e) {
            throw new ModelDownloadException("cannot download the CLIP model: " + e.getMessage(), e);
        }
        return OnnxClipModel.open(bundle, request);
    }
}
