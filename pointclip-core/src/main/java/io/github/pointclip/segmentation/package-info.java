/**
 * Zero-shot part segmentation (PointCLIP V2): the ShapeNetPart categories and parts with the official
 * part prompts ({@link io.github.pointclip.segmentation.ShapeNetPart}) and the segmentation metrics
 * (shape IoU, category, class and instance mIoU, accuracy).
 */
package io.github.pointclip.segmentation;
