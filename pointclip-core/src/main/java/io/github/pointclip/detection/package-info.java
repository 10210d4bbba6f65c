/**
 * 3-D detection in scenes (PointCLIP V2's third task): {@link io.github.pointclip.detection.Box}es
 * (centre, size, heading about +z, optional score), cropping them from a scene through a
 * {@link io.github.pointclip.detection.SceneIndex}, 3-D IoU and VoteNet/ScanNet average precision
 * ({@link io.github.pointclip.detection.DetectionMetrics}), the ScanNet detection layout
 * ({@link io.github.pointclip.detection.ScanNetScenes}) and boxes JSON ({@link io.github.pointclip.detection.BoxFiles}).
 * See {@code docs/detection.md}.
 */
package io.github.pointclip.detection;
