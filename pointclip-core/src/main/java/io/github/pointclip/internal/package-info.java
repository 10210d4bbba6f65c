/**
 * Support code shared by the SDK's modules, not an API: atomic file writes, the cache directory,
 * the one SHA-256 helper, feature math and caches, cache keys, JSON error messages, the up-front
 * read check of datasets, and {@link io.github.pointclip.internal.PipelineStages}, the stages of
 * {@link io.github.pointclip.PointClip} one by one. The module descriptor exports this package only
 * to the SDK's own modules; it may change in any release.
 */
package io.github.pointclip.internal;
