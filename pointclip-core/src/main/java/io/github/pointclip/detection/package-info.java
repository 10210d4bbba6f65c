/**
 * Zero-shot 3-D detection in scenes (PointCLIP V2's third task): {@link io.github.pointclip.detection.Box}es
 * (centre, size, heading about +z, optional score), cropping them from a scene through a
 * {@link io.github.pointclip.detection.SceneIndex}, classifying the crops with a
 * {@link io.github.pointclip.PointClip} ({@link io.github.pointclip.detection.ZeroShotDetector}), proposals from
 * any {@link io.github.pointclip.detection.ProposalSource} (the built-in
 * {@link io.github.pointclip.detection.ClusterProposer} is a baseline, not a trained detector), 3-D IoU and
 * VoteNet/ScanNet average precision ({@link io.github.pointclip.detection.DetectionMetrics}), the ScanNet
 * detection layout ({@link io.github.pointclip.detection.ScanNetScenes}), boxes JSON
 * ({@link io.github.pointclip.detection.BoxFiles}), synthetic test rooms
 * ({@link io.github.pointclip.detection.SyntheticRoom}) and top-view pictures
 * ({@link io.github.pointclip.detection.TopView}). See {@code docs/detection.md}.
 */
package io.github.pointclip.detection;
