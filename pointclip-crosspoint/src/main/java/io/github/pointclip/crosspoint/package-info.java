/**
 * CrossPoint (CVPR 2022) on PointCLIP's frozen CLIP: point encoders, their contrastive pretraining,
 * checkpoints, and the evaluations of a frozen encoder.
 */
package io.github.pointclip.crosspoint;
