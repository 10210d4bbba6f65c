package io.github.pointclip.spark;

import io.github.pointclip.PointClip;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.FeatureMath;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Text-to-shape retrieval in plain Java, without Spark, over an export of an embedding table: a
 * float32 {@code .npy} of shape [N, D] (the fused, normalised embeddings) and beside it
 * {@code <name>.paths.txt}, the N paths in the same order, one per line (UTF-8). Written by
 * {@link #write} (and {@link PointClipSpark#exportNpy}); {@code numpy.load} reads the array too.
 *
 * <pre>{@code
 * EmbeddingIndex index = EmbeddingIndex.load(Path.of("shapes.npy"));
 * try (PointClip clip = PointClip.builder().model(dir).build()) {   // the model that made the embeddings
 *     for (EmbeddingIndex.Hit hit : index.search(clip, "a four-legged wooden chair", 10)) {
 *         System.out.println(hit.path() + " " + hit.similarity());
 *     }
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe. A brute-force scan: about N·D multiply-adds per query, a few
 * milliseconds for a million 512-d embeddings' worth of memory bandwidth per core (the array must fit
 * in memory: 2 GB for a million ViT-B embeddings).
 */
public final class EmbeddingIndex {

    /** The suffix of the paths file beside the {@code .npy}. */
    public static final String PATHS_SUFFIX = ".paths.txt";

    private final float[] embeddings;
    private final List<String> paths;
    private final int dim;

    private EmbeddingIndex(float[] embeddings, List<String> paths, int dim) {
        this.embeddings = embeddings;
        this.paths = paths;
        this.dim = dim;
    }

    /**
     * One search result.
     *
     * @param path the cloud's path
     * @param similarity cosine similarity with the query, in [-1, 1]
     */
    public record Hit(String path, float similarity) {
    }

    /**
     * @param embeddings [N, D] row-major
     * @param paths the N paths
     * @return an index over them
     * @throws IllegalArgumentException if the sizes disagree
     */
    public static EmbeddingIndex of(float[] embeddings, List<String> paths) {
        if (paths.isEmpty() || embeddings.length % paths.size() != 0 || embeddings.length == 0) {
            throw new IllegalArgumentException(embeddings.length + " values do not make " + paths.size()
                + " embeddings");
        }
        return new EmbeddingIndex(embeddings.clone(), List.copyOf(paths), embeddings.length / paths.size());
    }

    /**
     * Reads an export.
     *
     * @param npy the {@code .npy} file; its paths file is {@code <npy without .npy>.paths.txt}
     * @return the index
     * @throws IOException if either file is missing or malformed, or their lengths disagree
     */
    public static EmbeddingIndex load(Path npy) throws IOException {
        NpyArray array = NpyArray.read(npy);
        int[] shape = array.shape();
        if (shape.length != 2 || shape[0] == 0 || shape[1] == 0) {
            throw new IOException(npy + ": embeddings need shape [N, D], this array is " + java.util.Arrays.toString(shape));
        }
        Path pathsFile = pathsFile(npy);
        List<String> paths = Files.readAllLines(pathsFile, StandardCharsets.UTF_8);
        if (paths.size() != shape[0]) {
            throw new IOException(pathsFile + " lists " + paths.size() + " paths but " + npy + " holds " + shape[0]
                + " embeddings");
        }
        return new EmbeddingIndex(array.data(), List.copyOf(paths), shape[1]);
    }

    /**
     * Writes an export, each file atomically.
     *
     * @param npy the {@code .npy} file to write; the paths file goes beside it
     * @throws IOException if writing fails
     */
    public void write(Path npy) throws IOException {
        NpyArray.write(npy, embeddings, paths.size(), dim);
        AtomicFiles.write(pathsFile(npy), out -> {
            for (String p : paths) {
                if (p.indexOf('\n') >= 0 || p.indexOf('\r') >= 0) {
                    throw new IOException("a path holds a line break: " + p.replaceAll("[\\r\\n]", "\\\\n"));
                }
                out.write((p + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /**
     * @param npy an export's {@code .npy}
     * @return its paths file
     */
    public static Path pathsFile(Path npy) {
        String name = npy.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".npy") ? name.substring(0, name.length() - 4)
            : name;
        return npy.resolveSibling(stem + PATHS_SUFFIX);
    }

    /** @return the number of embeddings */
    public int size() {
        return paths.size();
    }

    /** @return their dimension */
    public int dim() {
        return dim;
    }

    /** @return the paths, in order */
    public List<String> paths() {
        return paths;
    }

    /**
     * The {@code top} embeddings most similar to a query feature (dot product; the embeddings are
     * normalised, the query is normalised here), most similar first; ties keep index order.
     *
     * @param query a D-dimensional feature
     * @param top how many
     * @return at most {@code top} hits
     */
    public List<Hit> search(float[] query, int top) {
        if (query.length != dim) {
            throw new IllegalArgumentException("the query has " + query.length + " dimensions, the embeddings " + dim
                + ": they come from different models");
        }
        if (top < 1) {
            throw new IllegalArgumentException("top must be >= 1, got " + top);
        }
        float[] q = query.clone();
        FeatureMath.normaliseRows(q, 0, 1, dim);
        // a min-heap of the best so far: (similarity, index), the worst on top
        Comparator<long[]> worstFirst = Comparator.<long[]>comparingDouble(e -> Float.intBitsToFloat((int) e[0]))
            .thenComparing(e -> -e[1]);
        PriorityQueue<long[]> best = new PriorityQueue<>(worstFirst);
        for (int n = 0; n < paths.size(); n++) {
            float dot = 0;
            int base = n * dim;
            for (int d = 0; d < dim; d++) {
                dot += embeddings[base + d] * q[d];
            }
            best.add(new long[] {Float.floatToIntBits(dot), n});
            if (best.size() > top) {
                best.poll();
            }
        }
        List<Hit> out = new ArrayList<>(best.size());
        while (!best.isEmpty()) {
            long[] e = best.poll();
            out.add(new Hit(paths.get((int) e[1]), Float.intBitsToFloat((int) e[0])));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * The {@code top} clouds most similar to a text query, encoded by the model's text encoder (the
     * model that made the embeddings).
     *
     * @param clip the model
     * @param query the text, encoded as given
     * @param top how many
     * @return at most {@code top} hits, most similar first
     */
    public List<Hit> search(PointClip clip, String query, int top) {
        return search(queryFeature(clip, query), top);
    }

    /**
     * @param clip the model
     * @param query the text
     * @return its normalised text feature
     */
    static float[] queryFeature(PointClip clip, String query) {
        Objects.requireNonNull(query, "query");
        if (query.isBlank()) {
            throw new IllegalArgumentException("the query is empty");
        }
        return PipelineStages.textFeatures(clip, PromptSet.fromPrompts(Map.of(query, List.of(query))));
    }
}
