package io.github.pointclip.eval;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.io.CacheDirectory;
import io.github.pointclip.io.Sha256;
import io.github.pointclip.projection.Projector;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a {@link PointClip} on a labelled {@link Dataset}: accuracy, mean class accuracy,
 * per-class accuracy, the confusion matrix and every prediction.
 *
 * <pre>{@code
 * Dataset test = Datasets.modelNet40(dir, Split.TEST);
 * try (PointClip clip = PointClip.builder().model(modelDir).pipeline(Pipeline.v2()).build()) {
 *     EvaluationResult r = Evaluator.builder().clip(clip).dataset(test).firstPoints(1024)
 *         .cacheDirectory(Evaluator.defaultCacheDirectory()).build().evaluate();
 *     System.out.println(r.accuracy());
 * }
 * }</pre>
 *
 * <p>How it runs: worker threads read clouds and prepare the encoder's input
 * ({@link PointClip#encoderInput}) a batch at a time, while the calling thread runs the image
 * encoder ({@link PointClip#encodeImages}) on the batches in order. At most
 * {@code queueCapacity} prepared batches wait at any time (back-pressure), so memory stays
 * bounded however fast projection is. Features are grouped in chunks of {@code chunkSize}
 * consecutive samples; with a cache directory every finished chunk is written to a
 * {@link FeatureCache}, and a later run with the same model, pipeline, dataset, split and
 * first-N reads those chunks instead of encoding them again. Logits come from
 * {@link PointClip#logits}, so a {@code PointClip} built with a few-shot adapter is evaluated
 * through it.
 *
 * <p>Immutable; {@link #evaluate()} may be called again (it then reuses the cache).
 * Interrupting the calling thread stops the evaluation at the next encoder batch with an
 * {@link InterruptedIOException}; chunks already written stay valid.
 */
public final class Evaluator {

    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final PointClip clip;
    private final Dataset dataset;
    private final PromptSet prompts;
    private final int firstPoints;
    private final int limit;
    private final int batchSize;
    private final int chunkSize;
    private final int workers;
    private final int queueCapacity;
    private final Path cacheDirectory;
    private final EvaluationListener listener;
    private final String adapter;
    private final int shots;
    private final String backbone;

    private Evaluator(Builder b) {
        this.clip = b.clip;
        this.dataset = b.dataset;
        this.prompts = b.prompts;
        this.firstPoints = b.firstPoints;
        this.limit = b.limit;
        this.batchSize = b.batchSize;
        this.chunkSize = b.chunkSize;
        this.workers = b.workers;
        this.queueCapacity = b.queueCapacity;
        this.cacheDirectory = b.cacheDirectory;
        this.listener = b.listener;
        this.adapter = b.adapter;
        this.shots = b.shots;
        this.backbone = b.backbone;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with this evaluator's settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.clip = clip;
        b.dataset = dataset;
        b.prompts = prompts;
        b.firstPoints = firstPoints;
        b.limit = limit;
        b.batchSize = batchSize;
        b.chunkSize = chunkSize;
        b.workers = workers;
        b.queueCapacity = queueCapacity;
        b.cacheDirectory = cacheDirectory;
        b.listener = listener;
        b.adapter = adapter;
        b.shots = shots;
        b.backbone = backbone;
        return b;
    }

    /** @return {@code <cache root>/eval-features} (see {@link CacheDirectory}) */
    public static Path defaultCacheDirectory() {
        return CacheDirectory.root().resolve("eval-features");
    }

    /** @return the number of samples {@link #evaluate()} evaluates */
    public int samples() {
        return limit > 0 ? Math.min(limit, dataset.size()) : dataset.size();
    }

    /** @return the prompt set the classes are scored against */
    public PromptSet prompts() {
        return prompts;
    }

    /** @return images per encoder run */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Runs the evaluation.
     *
     * @return the result
     * @throws IOException if a cloud or a cache chunk cannot be read, or a chunk not written
     * @throws InterruptedIOException if the calling thread is interrupted
     * @throws RuntimeException what the encoder, a projector or the listener throws
     */
    public EvaluationResult evaluate() throws IOException {
        long t0 = System.nanoTime();
        int n = samples();
        Projector projector = clip.pipeline().projector();
        int views = projector.viewCount();
        int dim = clip.model().imageEncoder().embeddingDim();
        int perSample = views * dim;
        int classes = prompts.size();

        float[] text = clip.textFeatures(prompts);
        long textNanos = System.nanoTime() - t0;

        Provenance provenance = provenance(n);
        FeatureCache cache = cacheDirectory == null ? null : FeatureCache.open(cacheDirectory,
            FeatureCache.key(provenance.modelId(), provenance.pipeline(), projector + " " + projector.parameters(),
                provenance.dataset(), provenance.split(), firstPoints));

        int chunks = (n + chunkSize - 1) / chunkSize;
        float[] logits = new float[n * classes];
        List<Integer> missingChunks = new ArrayList<>();
        int cachedSamples = 0;
        List<float[]> cachedFeatures = new ArrayList<>();
        List<Integer> cachedChunks = new ArrayList<>();
        for (int k = 0; k < chunks; k++) {
            int start = k * chunkSize, count = Math.min(chunkSize, n - start);
            float[] f = cache == null ? null : cache.read(start, count, perSample);
            int whole = Math.min(chunkSize, dataset.size() - start);
            if (f == null && cache != null && whole > count) { // under a limit: a whole chunk of an earlier run
                float[] w = cache.read(start, whole, perSample);
                f = w == null ? null : java.util.Arrays.copyOf(w, count * perSample);
            }
            if (f == null) {
                missingChunks.add(k);
            } else {
                cachedFeatures.add(f);
                cachedChunks.add(k);
                cachedSamples += count;
            }
        }
        if (cache != null) {
            LOG.info("{}: {} of {} samples cached in {}", dataset.name(), cachedSamples, n, cache.directory());
        }
        listener.started(n, cachedSamples);
        for (int i = 0; i < cachedChunks.size(); i++) {
            int k = cachedChunks.get(i);
            int start = k * chunkSize, count = Math.min(chunkSize, n - start);
            float[] l = clip.logits(cachedFeatures.get(i), count, text, classes);
            System.arraycopy(l, 0, logits, start * classes, count * classes);
            cachedFeatures.set(i, null);
            listener.chunkDone(k, chunks, true);
        }
        if (cachedSamples > 0) {
            listener.progress(cachedSamples, n);
        }

        Loop loop = new Loop(n, views, perSample, classes, text, logits, cache, chunks, missingChunks, cachedSamples);
        loop.run();

        int[] labels = new int[n];
        int[] predictions = new int[n];
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels[i] = dataset.label(i);
            ids.add(dataset.id(i));
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            predictions[i] = best;
        }
        Timings timings = new Timings(System.nanoTime() - t0, textNanos, loop.loopNanos, loop.encoderNanos,
            loop.projectionNanos.get(), loop.waitNanos, n - cachedSamples, cachedSamples, loop.encoderRuns,
            loop.cloudsPerRun * views, workers);
        EvaluationResult result = EvaluationResult.of(dataset.classNames(), ids, labels, predictions, logits, timings,
            provenance);
        LOG.debug("{}: {}, encoder busy {} of the loop", dataset.name(), result,
            String.format(java.util.Locale.ROOT, "%.1f%%", 100 * timings.encoderBusyFraction()));
        return result;
    }

    private Provenance provenance(int n) {
        StringBuilder promptText = new StringBuilder();
        for (int c = 0; c < prompts.size(); c++) {
            promptText.append(prompts.classes().get(c)).append('\u0000');
            for (String p : prompts.prompts(c)) {
                promptText.append(p).append('\u0001');
            }
        }
        List<Float> weights = new ArrayList<>();
        for (float w : clip.pipeline().viewWeights()) {
            weights.add(w);
        }
        String version = io.github.pointclip.Version.get();
        Projector projector = clip.pipeline().projector();
        return new Provenance(version == null ? "development" : version, clip.model().id(),
            clip.model().backbone() != null ? clip.model().backbone().displayName() : backbone,
            clip.model().executionDevice(), clip.pipeline().name(), projector.name(), projector.parameters(), weights,
            Sha256.hex(promptText.toString()).substring(0, 16), dataset.name(), dataset.split().folderName(),
            firstPoints, n, dataset.size(), adapter, adapter == null ? 0 : shots);
    }

    /** One prepared encoder batch. */
    private record Batch(float[] images, int count) {
    }

    /** The overlapped projection / encoding loop over the chunks missing from the cache. */
    private final class Loop {
        final int n, views, perSample, classes, chunks;
        final float[] text, logits;
        final FeatureCache cache;
        final List<Integer> missingChunks;
        final int[] missing;
        final int cloudsPerRun;
        final AtomicLong projectionNanos = new AtomicLong();
        long loopNanos, encoderNanos, waitNanos;
        int encoderRuns;
        int done;

        Loop(int n, int views, int perSample, int classes, float[] text, float[] logits, FeatureCache cache,
            int chunks, List<Integer> missingChunks, int cachedSamples) {
            this.n = n;
            this.views = views;
            this.perSample = perSample;
            this.classes = classes;
            this.text = text;
            this.logits = logits;
            this.cache = cache;
            this.chunks = chunks;
            this.missingChunks = missingChunks;
            this.cloudsPerRun = Math.max(1, batchSize / views);
            this.done = cachedSamples;
            int total = 0;
            for (int k : missingChunks) {
                total += Math.min(chunkSize, n - k * chunkSize);
            }
            missing = new int[total];
            int m = 0;
            for (int k : missingChunks) {
                for (int i = k * chunkSize; i < Math.min(n, (k + 1) * chunkSize); i++) {
                    missing[m++] = i;
                }
            }
        }

        void run() throws IOException {
            if (missing.length == 0) {
                return;
            }
            long start = System.nanoTime();
            int batches = (missing.length + cloudsPerRun - 1) / cloudsPerRun;
            @SuppressWarnings("unchecked")
            CompletableFuture<Batch>[] futures = new CompletableFuture[batches];
            for (int i = 0; i < batches; i++) {
                futures[i] = new CompletableFuture<>();
            }
            Semaphore permits = new Semaphore(queueCapacity);
            BlockingQueue<float[]> buffers = new ArrayBlockingQueue<>(queueCapacity + workers);
            AtomicInteger next = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            int poolId = POOL_IDS.incrementAndGet();
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "pointclip-eval-" + poolId + "-projector");
                t.setDaemon(true);
                return t;
            });
            try {
                for (int w = 0; w < workers; w++) {
                    pool.execute(() -> produce(futures, permits, buffers, next, stop));
                }
                int chunkPos = 0; // index into missingChunks
                float[] chunkFeatures = null;
                int filled = 0;
                for (int b = 0; b < batches; b++) {
                    long w0 = System.nanoTime();
                    Batch batch = await(futures[b]);
                    long e0 = System.nanoTime();
                    float[] f = clip.encodeImages(batch.images, batch.count * views);
                    long e1 = System.nanoTime();
                    waitNanos += e0 - w0;
                    encoderNanos += e1 - e0;
                    encoderRuns++;
                    futures[b] = null;
                    buffers.offer(batch.images);
                    permits.release();
                    for (int j = 0; j < batch.count; j++) {
                        int k = missingChunks.get(chunkPos);
                        int cStart = k * chunkSize, cCount = Math.min(chunkSize, n - cStart);
                        if (chunkFeatures == null) {
                            chunkFeatures = new float[cCount * perSample];
                        }
                        System.arraycopy(f, j * perSample, chunkFeatures, filled * perSample, perSample);
                        if (++filled == cCount) {
                            if (cache != null) {
                                cache.write(cStart, cCount, perSample, chunkFeatures);
                            }
                            float[] l = clip.logits(chunkFeatures, cCount, text, classes);
                            System.arraycopy(l, 0, logits, cStart * classes, cCount * classes);
                            chunkFeatures = null;
                            filled = 0;
                            chunkPos++;
                            listener.chunkDone(k, chunks, false);
                        }
                    }
                    done += batch.count;
                    listener.progress(done, n);
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
                try {
                    if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                        LOG.warn("projection workers did not stop within 10 s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                loopNanos = System.nanoTime() - start;
            }
        }

        private void produce(CompletableFuture<Batch>[] futures, Semaphore permits, BlockingQueue<float[]> buffers,
            AtomicInteger next, AtomicBoolean stop) {
            List<PointCloud> clouds = new ArrayList<>(cloudsPerRun);
            while (!stop.get()) {
                try {
                    permits.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                int b = next.getAndIncrement();
                // a claimed batch is always completed (normally or with its error), so no future the
                // consumer may await is ever left pending
                if (b >= futures.length) {
                    permits.release();
                    return;
                }
                try {
                    long p0 = System.nanoTime();
                    clouds.clear();
                    int from = b * cloudsPerRun, to = Math.min(missing.length, from + cloudsPerRun);
                    for (int m = from; m < to; m++) {
                        PointCloud cloud = dataset.get(missing[m]).cloud();
                        clouds.add(firstPoints > 0 && cloud.size() > firstPoints ? cloud.first(firstPoints) : cloud);
                    }
                    float[] images = clip.encoderInput(clouds, buffers.poll());
                    projectionNanos.addAndGet(System.nanoTime() - p0);
                    futures[b].complete(new Batch(images, clouds.size()));
                } catch (Throwable t) {
                    futures[b].completeExceptionally(t);
                    stop.set(true);
                    if (t instanceof Error) {
                        throw (Error) t;
                    }
                    return;
                }
            }
        }

        private Batch await(CompletableFuture<Batch> future) throws IOException {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException ex = new InterruptedIOException("evaluation interrupted");
                ex.initCause(e);
                throw ex;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException) {
                    throw (IOException) cause;
                }
                if (cause instanceof UncheckedIOException) {
                    throw ((UncheckedIOException) cause).getCause();
                }
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    /** Builds an {@link Evaluator}; validates in {@link #build()}. */
    public static final class Builder {
        private PointClip clip;
        private Dataset dataset;
        private PromptSet prompts;
        private int firstPoints;
        private int limit;
        private int batchSize = 32;
        private int chunkSize = 64;
        private int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        private int queueCapacity = -1;
        private Path cacheDirectory;
        private EvaluationListener listener = EvaluationListener.NONE;
        private String adapter;
        private int shots;
        private String backbone;

        private Builder() {
        }

        /**
         * Records the backbone for the provenance when the model does not say (e.g. a plain
         * OpenAI-style export); the model's own backbone, when known, wins.
         *
         * @param name the backbone's display name, e.g. {@code ViT-B/16}; default null (unknown)
         * @return this builder
         */
        public Builder backbone(String name) {
            this.backbone = name;
            return this;
        }

        /**
         * @param clip the recogniser to evaluate (required; not closed by the evaluator)
         * @return this builder
         */
        public Builder clip(PointClip clip) {
            this.clip = clip;
            return this;
        }

        /**
         * @param dataset the labelled samples (required)
         * @return this builder
         */
        public Builder dataset(Dataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /**
         * @param prompts the class prompts, one class per dataset class in label order; default:
         *     the pipeline's template over the dataset's class names
         * @return this builder
         */
        public Builder prompts(PromptSet prompts) {
            this.prompts = prompts;
            return this;
        }

        /**
         * @param n keep only the first n points of each cloud (the references use 1024); default 0: all
         * @return this builder
         */
        public Builder firstPoints(int n) {
            this.firstPoints = n;
            return this;
        }

        /**
         * @param n evaluate only the first n samples; default 0: all
         * @return this builder
         */
        public Builder limit(int n) {
            this.limit = n;
            return this;
        }

        /**
         * @param images images per encoder run, rounded down to whole clouds (at least one);
         *     default 32
         * @return this builder
         */
        public Builder batchSize(int images) {
            this.batchSize = images;
            return this;
        }

        /**
         * @param samples consecutive samples per feature-cache chunk; default 64
         * @return this builder
         */
        public Builder chunkSize(int samples) {
            this.chunkSize = samples;
            return this;
        }

        /**
         * @param threads projection worker threads; default half the processors, 1 to 4
         * @return this builder
         */
        public Builder workers(int threads) {
            this.workers = threads;
            return this;
        }

        /**
         * @param batches prepared batches that may wait for the encoder; default 2 per worker
         * @return this builder
         */
        public Builder queueCapacity(int batches) {
            this.queueCapacity = batches;
            return this;
        }

        /**
         * @param dir root of the feature caches, e.g. {@link Evaluator#defaultCacheDirectory()};
         *     default null: no cache, nothing written
         * @return this builder
         */
        public Builder cacheDirectory(Path dir) {
            this.cacheDirectory = dir;
            return this;
        }

        /**
         * @param listener progress callbacks; default {@link EvaluationListener#NONE}
         * @return this builder
         */
        public Builder listener(EvaluationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Records, for the provenance and the published-figure match, the few-shot adapter the
         * {@link PointClip} was built with.
         *
         * @param name the adapter (e.g. its file name), or null for zero-shot (the default)
         * @param shots shots per class it was trained with, 0 when unknown
         * @return this builder
         */
        public Builder adapter(String name, int shots) {
            this.adapter = name;
            this.shots = shots;
            return this;
        }

        /**
         * @return the evaluator
         * @throws NullPointerException without clip or dataset
         * @throws IllegalArgumentException for a non-positive size, or prompts whose classes are not the dataset's
         */
        public Evaluator build() {
            Objects.requireNonNull(clip, "clip");
            Objects.requireNonNull(dataset, "dataset");
            positive("batchSize", batchSize);
            positive("chunkSize", chunkSize);
            positive("workers", workers);
            if (firstPoints < 0) {
                throw new IllegalArgumentException("firstPoints must be >= 0, got " + firstPoints);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0, got " + limit);
            }
            if (shots < 0) {
                throw new IllegalArgumentException("shots must be >= 0, got " + shots);
            }
            if (queueCapacity == -1) {
                queueCapacity = 2 * workers;
            }
            positive("queueCapacity", queueCapacity);
            if (dataset.size() == 0) {
                throw new IllegalArgumentException("dataset " + dataset.name() + " is empty");
            }
            if (prompts == null) {
                prompts = PromptSet.fromTemplate(clip.pipeline().template(), dataset.classNames());
            }
            if (!prompts.classes().equals(dataset.classNames())) {
                // the label indices of the dataset index the prompts' classes: same names, same order
                throw new IllegalArgumentException("the prompts' classes " + prompts.classes() + " are not dataset "
                    + dataset.name() + "'s classes " + dataset.classNames() + " in the same order");
            }
            return new Evaluator(this);
        }

        private static void positive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + value);
            }
        }
    }
}
