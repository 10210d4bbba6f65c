/**
 * PointCLIP on Apache Spark: {@link io.github.pointclip.spark.PointClipSpark} classifies and embeds the
 * point-cloud files a table names (one {@link io.github.pointclip.PointClip} per executor JVM, files
 * read through Hadoop's {@code FileSystem}, a bad file costing its own row), writes Parquet atomically and
 * retrieves shapes by text; {@link io.github.pointclip.spark.PointClipSpec} describes the model;
 * {@link io.github.pointclip.spark.EmbeddingIndex} retrieves from an {@code .npy} export in plain Java;
 * {@link io.github.pointclip.spark.PointClipSparkJob} is the {@code spark-submit} entry point. See
 * docs/scale.md.
 */
package io.github.pointclip.spark;
