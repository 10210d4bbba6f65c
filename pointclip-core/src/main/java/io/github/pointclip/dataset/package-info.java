/**
 * Benchmark datasets of labelled point clouds, read lazily from disk.
 *
 * <p>{@link io.github.pointclip.dataset.Datasets} opens ModelNet40 in the
 * {@code modelnet40_ply_hdf5_2048} layout, the three ScanObjectNN variants and folder-per-class
 * layouts of point or mesh files, and derives subsets: a stratified, seeded hold-out split for
 * tuning without touching the test set, and few-shot samples. A
 * {@link io.github.pointclip.dataset.Dataset} knows its size, labels and ids when it is opened;
 * clouds are read only when asked for, a block of samples at a time, so no dataset is ever
 * held in memory whole. Every problem with the files raises a
 * {@link io.github.pointclip.dataset.DatasetException} naming the file and what was wrong.
 */
package io.github.pointclip.dataset;
