/**
 * Benchmark evaluation: run a {@link io.github.pointclip.PointClip} over a labelled
 * {@link io.github.pointclip.dataset.Dataset} and measure it.
 *
 * <p>{@link io.github.pointclip.eval.Evaluator} projects clouds on worker threads while the
 * image encoder runs (a bounded queue gives back-pressure), caches the image features on disk
 * in chunks (a package-private feature cache) so that an interrupted run resumes
 * where it stopped, and reports progress to an
 * {@link io.github.pointclip.eval.EvaluationListener}. The immutable
 * {@link io.github.pointclip.eval.EvaluationResult} holds overall, mean class and per-class
 * accuracy, the confusion matrix, every prediction, the {@link io.github.pointclip.eval.Timings}
 * (including how busy the encoder was) and the {@link io.github.pointclip.eval.Provenance} of the
 * run; {@link io.github.pointclip.eval.PublishedResults} finds the published figure of a
 * matching setting.
 */
package io.github.pointclip.eval;
