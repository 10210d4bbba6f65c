/**
 * Test-only ONNX model generation: a hand-written ONNX protobuf writer ({@link
 * io.github.pointclip.onnx.testmodels.OnnxModelWriter}), the tiny CLIP-shaped models committed
 * under {@code pointclip-onnx/src/test/resources/tiny-clip} with a plain-Java reference of what they compute
 * ({@link io.github.pointclip.onnx.testmodels.TinyClipModels}), and full-size random-weight models
 * of the exact CLIP architectures for benchmarks ({@link
 * io.github.pointclip.onnx.testmodels.FullClipModels}). Nothing here needs Python or real weights.
 *
 * <p>Part of the unpublished {@code pointclip-testing} module; the generators' own tests live in
 * {@code pointclip-onnx}, which runs the models on ONNX Runtime.
 */
package io.github.pointclip.onnx.testmodels;
