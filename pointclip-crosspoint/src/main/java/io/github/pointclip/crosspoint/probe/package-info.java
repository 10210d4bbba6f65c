/**
 * Evaluations of a frozen point encoder, as CrossPoint reports them: a linear probe (a linear
 * classifier trained on one split's global features, accuracy on another) and N-way K-shot
 * episodes (mean ± standard deviation of the query accuracy over seeded episodes).
 *
 * <p>Everything works on plain feature arrays ({@link io.github.pointclip.crosspoint.probe.LabelledFeatures}),
 * so any features can be probed: a {@link io.github.pointclip.encoder.PointEncoder}'s
 * {@code features} or {@code embed}, PointCLIP's fused image features, features read from a file.
 * {@link io.github.pointclip.crosspoint.probe.EncoderFeatures} extracts them from a dataset with an
 * encoder. The classifier is an L2-regularised multinomial logistic regression on standardised
 * features, fitted by L-BFGS in double precision: results are deterministic and do not depend on
 * the number of threads.
 */
package io.github.pointclip.crosspoint.probe;
