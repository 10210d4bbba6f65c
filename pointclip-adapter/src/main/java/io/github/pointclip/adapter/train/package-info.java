/**
 * Few-shot training of the inter-view adapter: seeded k-shot sampling happens in
 * {@link io.github.pointclip.dataset.Datasets#fewShot}; {@link io.github.pointclip.adapter.train.Augmentation}
 * and {@link io.github.pointclip.adapter.train.FeatureCache} encode augmented copies once and keep them on disk;
 * {@link io.github.pointclip.adapter.train.FewShotTrainer} trains on the cached features with a progress
 * {@link io.github.pointclip.adapter.train.TrainingListener} and best-epoch selection on a validation split.
 */
package io.github.pointclip.adapter.train;
