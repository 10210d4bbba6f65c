/**
 * The encoder SPI: {@link io.github.pointclip.encoder.ClipModel} pairs an
 * {@link io.github.pointclip.encoder.ImageEncoder} and a {@link io.github.pointclip.encoder.TextEncoder};
 * backends register a {@link io.github.pointclip.encoder.ClipModelProvider} found through
 * {@link java.util.ServiceLoader}. Core never loads native code.
 */
package io.github.pointclip.encoder;
