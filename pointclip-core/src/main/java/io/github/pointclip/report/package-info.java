/**
 * Evaluation reports: {@code report.json}, a confusion-matrix and a per-class accuracy chart
 * (PNG, drawn with java.awt in headless mode), contact sheets of example depth maps and an
 * {@code index.html} that shows them all. {@link io.github.pointclip.report.EvaluationReport}
 * writes them, each file atomically.
 */
package io.github.pointclip.report;
