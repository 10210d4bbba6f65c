/**
 * PointCLIP for Java, ONNX: CLIP's image and text encoders on ONNX Runtime, registered as the
 * {@code onnx} {@link io.github.pointclip.encoder.ClipModelProvider}; model bundles, the model
 * catalogue and checksummed downloads; CLIP's BPE tokenizer.
 *
 * <p>No ONNX Runtime type appears in the exported API: sessions and environments stay inside the
 * encoders, and {@code io.github.pointclip.onnx.internal} is not exported.
 */
@SuppressWarnings("requires-automatic") // ONNX Runtime's jar is an automatic module
module io.github.pointclip.onnx {
    requires transitive io.github.pointclip.core;
    requires com.microsoft.onnxruntime; // automatic module (Automatic-Module-Name in its manifest)
    requires com.fasterxml.jackson.databind;
    requires transitive java.net.http; // Downloader.Builder#httpClient takes a java.net.http.HttpClient
    requires org.slf4j;

    exports io.github.pointclip.onnx;
    exports io.github.pointclip.onnx.bundle;
    exports io.github.pointclip.onnx.tokenizer;

    provides io.github.pointclip.encoder.ClipModelProvider
        with io.github.pointclip.onnx.OnnxClipModelProvider;
}
