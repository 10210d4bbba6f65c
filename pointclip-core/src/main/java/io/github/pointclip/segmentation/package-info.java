/**
 * Zero-shot part segmentation (PointCLIP V2, SEGMENTATION.md): the part prompts, the result per cloud,
 * the two layouts, the back-projection of dense CLIP features onto points, the ShapeNetPart categories
 * and parts with the official part prompts ({@link io.github.pointclip.segmentation.ShapeNetPart}) and
 * the segmentation metrics (shape IoU, category, class and instance mIoU, accuracy). The entry point is
 * {@link io.github.pointclip.PointClip#segment(io.github.pointclip.cloud.PointCloud, String, java.util.List)}.
 */
package io.github.pointclip.segmentation;
