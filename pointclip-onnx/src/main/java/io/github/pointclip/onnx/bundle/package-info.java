/**
 * CLIP model bundles for the ONNX backend: what a bundle looks like on disk, how one is found
 * and how one is fetched.
 *
 * <ul>
 *   <li>{@link io.github.pointclip.onnx.bundle.ModelManifest} is the project's own
 *       {@code pointclip-model.json}; {@link io.github.pointclip.onnx.bundle.ModelBundle#detect(java.nio.file.Path)}
 *       also recognises the Hugging Face / transformers.js layout and OpenAI-style split
 *       exports ({@link io.github.pointclip.onnx.bundle.BundleLayout}) and synthesises a manifest for them.</li>
 *   <li>{@link io.github.pointclip.onnx.bundle.ExpectedSignature} checks the input and output
 *       names, types and shapes of a loaded ONNX model
 *       ({@link io.github.pointclip.onnx.bundle.ModelSignature}) against the manifest, with an
 *       error that lists every mismatch.</li>
 *   <li>{@link io.github.pointclip.onnx.bundle.ModelResolver} finds a bundle: explicit path,
 *       then {@code -Dpointclip.model} / {@code POINTCLIP_MODEL}, then the cache directory, then
 *       an optional download ({@link io.github.pointclip.onnx.bundle.Downloader}: SHA-256 check,
 *       resume, atomic rename, safe under concurrent use). An offline switch keeps it off the network.</li>
 * </ul>
 *
 * <p>Nothing in this package touches the network or the file system on class load.
 */
package io.github.pointclip.onnx.bundle;
