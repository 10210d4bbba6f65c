/**
 * Support code of the ONNX module, not an API: messages from ONNX Runtime and JSON exceptions, the
 * on-disk memo of file digests, and reading a model's signature from an ONNX Runtime session. Every
 * use of an {@code ai.onnxruntime} type outside the encoders' private code is here, so that none
 * appears in the module's exported API. The module descriptor exports this package only to the
 * SDK's own modules; it may change in any release.
 */
package io.github.pointclip.onnx.internal;
