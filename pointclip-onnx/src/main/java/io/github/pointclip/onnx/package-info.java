/**
 * CLIP on ONNX Runtime: {@link io.github.pointclip.onnx.OnnxClipModel} with its image and text
 * encoder sessions (CUDA execution provider when present, CPU otherwise), registered as the
 * {@code onnx} {@link io.github.pointclip.encoder.ClipModelProvider}. Model bundles live in
 * {@code bundle}, the CLIP tokenizer in {@code tokenizer}.
 */
package io.github.pointclip.onnx;
