/**
 * Adapter checkpoints in the safetensors format ({@link io.github.pointclip.adapter.checkpoint.SafeTensors},
 * {@link io.github.pointclip.adapter.checkpoint.AdapterCheckpoint}) and the
 * {@link io.github.pointclip.encoder.FeatureAdapterLoader} that lets {@code PointClip.builder().adapter(path)}
 * read them.
 */
package io.github.pointclip.adapter.checkpoint;
