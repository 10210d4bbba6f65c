/**
 * Point-cloud file input and output.
 *
 * <p>{@link io.github.pointclip.io.PointClouds} reads .xyz/.txt/.csv/.pts, .npy, .ply, .off,
 * .obj, .stl and .pcd files (see {@link io.github.pointclip.io.PointCloudFormat}) and writes
 * .npy and .ply; {@link io.github.pointclip.io.ReadOptions} controls non-finite points, mesh
 * surface sampling, the format and a point limit. Readers stream the file into primitive
 * arrays. Every malformed file raises a {@link io.github.pointclip.io.PointCloudFormatException}
 * with the file, line or byte offset and reason; every write goes through
 * {@code AtomicFiles}.
 */
package io.github.pointclip.io;
