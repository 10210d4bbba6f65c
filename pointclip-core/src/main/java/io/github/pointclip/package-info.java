/**
 * The facade: {@link io.github.pointclip.PointClip} recognises point clouds zero-shot (or with
 * a few-shot adapter) following a {@link io.github.pointclip.Pipeline}, returning
 * {@link io.github.pointclip.Prediction}s and {@link io.github.pointclip.Embedding}s;
 * {@code FeatureMath} holds the similarity arithmetic.
 */
package io.github.pointclip;
