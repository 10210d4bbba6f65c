/**
 * Test-only ONNX model generation: a hand-written ONNX protobuf writer ({@link
 * io.github.pointclip.onnx.testmodels.OnnxModelWriter}), the tiny CLIP-shaped models committed
 * under {@code src/test/resources/tiny-clip} with a plain-Java reference of what they compute
 * ({@link io.github.pointclip.onnx.testmodels.TinyClipModels}), and full-size random-weight models
 * of the exact CLIP architectures for benchmarks ({@link
 * io.github.pointclip.onnx.testmodels.FullClipModels}). Nothing here needs Python or real weights.
 */
package io.github.pointclip.onnx.testmodels;
