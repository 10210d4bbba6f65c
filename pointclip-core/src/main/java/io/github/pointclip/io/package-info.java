/**
 * Reading and writing point clouds and arrays: file formats, atomic writes and
 * {@link io.github.pointclip.io.PointCloudFormatException} for malformed files.
 */
package io.github.pointclip.io;
