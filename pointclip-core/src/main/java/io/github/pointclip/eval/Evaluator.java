package io.github.pointclip.eval;

import io.github.pointclip.PointClip;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.internal.CacheDirectory;
import io.github.pointclip.internal.FeatureKeys;
import io.github.pointclip.internal.PipelineStages;
import io.github.pointclip.internal.ReadCheck;
import io.github.pointclip.internal.Sha256;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.io.InterruptedIOException;
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
 * ({@code PipelineStages.encoderInput}) a batch at a time, while the calling thread runs the image
 * encoder ({@code PipelineStages.encodeImages}) on the batches in order. At most
 * {@code queueCapacity} prepared batches wait at any time (back-pressure), so memory stays
 * bounded however fast projection is. Features are grouped in chunks of {@code chunkSize}
 * consecutive samples; with a cache directory every finished chunk is written to a
 * {@link FeatureCache}, and a later run with the same model, projector, first-N and samples
 * reads those chunks instead of encoding them again. The cache is keyed by content
 * ({@code FeatureKeys}): the model's checksum, every projector parameter and each sample's
 * {@link Dataset#contentIdentity(int) identity} (its absolute file path, size and modification time),
 * never by a dataset's name, so two datasets named alike never share features and a changed
 * file is encoded again. Before encoding, the samples not in the cache are read once, so that
 * an unreadable file stops the run up front (or is skipped, {@link Builder#skipBad}). Logits come from
 * {@code PipelineStages.logits}, so a {@code PointClip} built with a few-shot adapter is evaluated
 * through it.
 *
 * <p>Immutable; {@link #evaluate()} may be called again (it then reuses the cache).
 * Interrupting the calling thread stops the evaluation at the next encoder batch with an
 * {@link EvaluationInterruptedException}: the finished part of the current chunk is written to
 * the cache first, and the exception says how many samples are cached, all of which a rerun
 * reads instead of encoding.
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
    private final boolean validate;
    private final boolean skipBad;

    /** The points a cloud keeps when both this evaluation and the pipeline cut it (0 = no cut). */
    private static int effectivePoints(Integer requested, int pipeline) {
        if (requested == null || requested == 0) {
            return pipeline;
        }
        return pipeline == 0 ? requested : Math.min(requested, pipeline);
    }

    private Evaluator(Builder b) {
        this.clip = b.clip;
        this.dataset = b.dataset;
        this.prompts = b.prompts;
        this.firstPoints = effectivePoints(b.firstPoints, b.clip.pipeline().pointsPerCloud());
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
        this.validate = b.validate;
        this.skipBad = b.skipBad;
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
        b.validate = validate;
        b.skipBad = skipBad;
        return b;
    }

    /** @return {@code <cache root>/eval-features} (see {@code CacheDirectory}) */
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
     * <p>Before any encoding, every sample whose features are not cached is read once (in
     * parallel on the worker threads), so a corrupt file stops the evaluation up front, or, with
     * {@link Builder#skipBad}, is listed in {@link EvaluationResult#skipped()} and left out.
     *
     * @return the result
     * @throws IOException if a cloud or a cache chunk cannot be read, or a chunk not written; a
     *     sample that cannot be read is reported before any encoding with the exception its
     *     dataset threw (naming the file), unless {@link Builder#skipBad} is set
     * @throws EvaluationInterruptedException if the calling thread is interrupted; the features of
     *     every finished sample are in the cache then, and the exception says how many
     * @throws RuntimeException what the encoder, a projector or the listener throws
     */
    public EvaluationResult evaluate() throws IOException {
        long t0 = System.nanoTime();
        Projector projector = clip.pipeline().projector();
        int views = projector.viewCount();
        int dim = clip.model().imageEncoder().embeddingDim();
        int perSample = views * dim;
        int classes = prompts.size();

        float[] text = PipelineStages.textFeatures(clip, prompts);
        long textNanos = System.nanoTime() - t0;

        Plan plan = plan(dataset, samples(), perSample);
        List<SkippedSample> skipped = List.of();
        if (validate) {
            ReadCheck.Outcome checked = readMissing(plan);
            if (!checked.skipped().isEmpty()) {
                List<SkippedSample> list = new ArrayList<>();
                for (ReadCheck.Unreadable u : checked.skipped()) {
                    list.add(new SkippedSample(u.index(), u.id(), u.reason()));
                }
                skipped = List.copyOf(list);
                // the readable samples are a dataset of their own, with its own content identity and cache
                plan = plan(checked.readable(), checked.readable().size(), perSample);
            }
        }
        Dataset data = plan.dataset;
        int n = plan.n;
        FeatureCache cache = plan.cache;
        int chunks = plan.chunks;
        if (cache != null) {
            LOG.info("{}: {} of {} samples cached in {}", dataset.name(), plan.cachedSamples, n, cache.directory());
        }
        listener.started(n, plan.cachedSamples);
        float[] logits = new float[n * classes];
        Loop loop = new Loop(plan, views, perSample, classes, text, logits); // before the whole chunks are let go
        for (int k = 0; k < chunks; k++) {
            FeatureCache.Prefix f = plan.prefixes[k];
            int start = k * chunkSize, count = Math.min(chunkSize, n - start);
            if (f != null && f.count() == count) {
                float[] l = PipelineStages.logits(clip, f.features(), count, text, classes);
                System.arraycopy(l, 0, logits, start * classes, count * classes);
                plan.prefixes[k] = null;
                listener.chunkDone(k, chunks, true);
            }
        }
        if (plan.cachedSamples > 0) {
            listener.progress(plan.cachedSamples, n);
        }

        loop.run();

        int[] labels = new int[n];
        int[] predictions = new int[n];
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels[i] = data.label(i);
            ids.add(data.id(i));
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            predictions[i] = best;
        }
        Timings timings = new Timings(System.nanoTime() - t0, textNanos, loop.loopNanos, loop.encoderNanos,
            loop.projectionNanos.get(), loop.waitNanos, n - plan.cachedSamples, plan.cachedSamples, loop.encoderRuns,
            loop.cloudsPerRun * views, workers);
        Provenance provenance = provenance(n, plan.identity(0, n));
        EvaluationResult result = EvaluationResult.of(dataset.classNames(), ids, labels, predictions, logits, timings,
            provenance, skipped);
        LOG.debug("{}: {}, encoder busy {} of the loop", dataset.name(), result,
            String.format(java.util.Locale.ROOT, "%.1f%%", 100 * timings.encoderBusyFraction()));
        return result;
    }

    /**
     * What is to be evaluated and what of it the cache holds.
     */
    private final class Plan {
        final Dataset dataset;
        final int n;
        final int chunks;
        final String[] identities; // of every sample of the dataset, in index order
        final FeatureCache cache;
        final FeatureCache.Prefix[] prefixes; // per chunk: what the cache holds of it, or null
        int cachedSamples;

        Plan(Dataset dataset, int n, String[] identities, FeatureCache cache) {
            this.dataset = dataset;
            this.n = n;
            this.chunks = (n + chunkSize - 1) / chunkSize;
            this.identities = identities;
            this.cache = cache;
            this.prefixes = new FeatureCache.Prefix[chunks];
        }

        /** @return SHA-256 over the class names and the identities and labels of samples [from, to) */
        String identity(int from, int to) {
            return FeatureKeys.digest(dataset, identities, 0, from, to);
        }

        /** @return the indices in [0, n) whose features the cache does not hold, ascending */
        int[] missing() {
            int total = n - cachedSamples;
            int[] missing = new int[total];
            int m = 0;
            for (int k = 0; k < chunks; k++) {
                int start = k * chunkSize, end = Math.min(n, start + chunkSize);
                int from = start + (prefixes[k] == null ? 0 : prefixes[k].count());
                for (int i = from; i < end; i++) {
                    missing[m++] = i;
                }
            }
            return missing;
        }
    }

    /** Identifies the samples, opens their cache and finds what of them it holds. */
    private Plan plan(Dataset data, int n, int perSample) throws IOException {
        String[] identities = new String[data.size()];
        for (int i = 0; i < identities.length; i++) { // a file-status call each (an interruption is seen later)
            identities[i] = data.contentIdentity(i);
        }
        FeatureCache cache = null;
        Plan probe = new Plan(data, n, identities, null);
        if (cacheDirectory != null) {
            // the whole dataset's identity, so that a run under a limit reads the chunks of a whole run
            String key = "pointclip eval features v2\n" + FeatureKeys.imageFeatures(clip, firstPoints) + "chunk="
                + chunkSize + "\ndataset=" + probe.identity(0, data.size()) + "\n";
            cache = FeatureCache.open(cacheDirectory, key, data.name() + ", " + data.size() + " samples");
        }
        Plan plan = new Plan(data, n, identities, cache);
        if (cache != null) {
            for (int k = 0; k < plan.chunks; k++) {
                int start = k * chunkSize, count = Math.min(chunkSize, n - start);
                FeatureCache.Prefix f = cache.readPrefix(start, count, perSample);
                if (f != null) {
                    plan.prefixes[k] = f;
                    plan.cachedSamples += f.count();
                }
            }
        }
        return plan;
    }

    /**
     * Reads every sample whose features are not cached, on the worker threads ({@code ReadCheck}),
     * and applies the rule for those that cannot be read (a missing or malformed file).
     */
    private ReadCheck.Outcome readMissing(Plan plan) throws IOException {
        List<ReadCheck.Unreadable> bad;
        try {
            bad = ReadCheck.unreadable(plan.dataset, plan.missing(), workers);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new EvaluationInterruptedException(plan.cachedSamples, plan.n, plan.cachedSamples,
                    plan.cache == null ? null : plan.cache.directory());
            }
            throw e;
        }
        return ReadCheck.apply(plan.dataset, plan.n, bad, skipBad);
    }

    private Provenance provenance(int n, String datasetIdentity) {
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
        Projector projector = clip.pipeline().projector();
        return new Provenance(io.github.pointclip.Version.get(), clip.model().id(),
            clip.model().backbone() != null ? clip.model().backbone().displayName() : backbone,
            clip.model().executionDevice(), clip.pipeline().name(), projector.name(), projector.parameters(), weights,
            Sha256.hex(promptText.toString()).substring(0, 16), dataset.name(), dataset.split().folderName(),
            firstPoints, n, dataset.size(), adapter, adapter == null ? 0 : shots, datasetIdentity);
    }

    /** One prepared encoder batch. */
    private record Batch(float[] images, int count) {
    }

    /** The overlapped projection / encoding loop over the samples missing from the cache. */
    private final class Loop {
        final Plan plan;
        final Dataset data;
        final int n, views, perSample, classes, chunks;
        final float[] text, logits;
        final FeatureCache cache;
        final int[] missing;
        final int cloudsPerRun;
        final AtomicLong projectionNanos = new AtomicLong();
        long loopNanos, encoderNanos, waitNanos;
        int encoderRuns;
        int done;
        int cached; // samples whose features are in the cache now

        Loop(Plan plan, int views, int perSample, int classes, float[] text, float[] logits) {
            this.plan = plan;
            this.data = plan.dataset;
            this.n = plan.n;
            this.views = views;
            this.perSample = perSample;
            this.classes = classes;
            this.text = text;
            this.logits = logits;
            this.cache = plan.cache;
            this.chunks = plan.chunks;
            this.cloudsPerRun = Math.max(1, batchSize / views);
            this.done = plan.cachedSamples;
            this.cached = plan.cachedSamples;
            this.missing = plan.missing();
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
            int chunk = -1; // the chunk being filled
            float[] chunkFeatures = null;
            int filled = 0; // samples of it whose features are ready
            int fromCache = 0; // of which were read from the cache
            try {
                for (int w = 0; w < workers; w++) {
                    pool.execute(() -> produce(futures, permits, buffers, next, stop));
                }
                int m = 0; // index into missing
                for (int b = 0; b < batches; b++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("evaluation interrupted");
                    }
                    long w0 = System.nanoTime();
                    Batch batch = await(futures[b]);
                    long e0 = System.nanoTime();
                    float[] f = PipelineStages.encodeImages(clip, batch.images, batch.count * views);
                    long e1 = System.nanoTime();
                    waitNanos += e0 - w0;
                    encoderNanos += e1 - e0;
                    encoderRuns++;
                    futures[b] = null;
                    buffers.offer(batch.images);
                    permits.release();
                    for (int j = 0; j < batch.count; j++, m++) {
                        if (chunkFeatures == null) {
                            chunk = missing[m] / chunkSize;
                            int cCount = Math.min(chunkSize, n - chunk * chunkSize);
                            chunkFeatures = new float[cCount * perSample];
                            FeatureCache.Prefix prefix = plan.prefixes[chunk];
                            fromCache = prefix == null ? 0 : prefix.count();
                            if (prefix != null) {
                                System.arraycopy(prefix.features(), 0, chunkFeatures, 0, fromCache * perSample);
                                plan.prefixes[chunk] = null;
                            }
                            filled = fromCache;
                        }
                        int cStart = chunk * chunkSize, cCount = chunkFeatures.length / perSample;
                        System.arraycopy(f, j * perSample, chunkFeatures, filled * perSample, perSample);
                        if (++filled == cCount) {
                            float[] whole = chunkFeatures;
                            int k = chunk;
                            chunkFeatures = null;
                            filled = 0;
                            if (cache != null) {
                                cache.write(cStart, cCount, perSample, whole);
                                cache.deletePartials(cStart, cCount);
                                cached += cCount - fromCache;
                            }
                            float[] l = PipelineStages.logits(clip, whole, cCount, text, classes);
                            System.arraycopy(l, 0, logits, cStart * classes, cCount * classes);
                            listener.chunkDone(k, chunks, false);
                        }
                    }
                    done += batch.count;
                    listener.progress(done, n);
                }
            } catch (IOException | RuntimeException | Error e) {
                // keep what is finished: the samples of the current chunk encoded so far
                if (cache != null && chunkFeatures != null && filled > fromCache) {
                    try {
                        cache.write(chunk * chunkSize, filled, perSample, chunkFeatures);
                        cached += filled - fromCache;
                    } catch (IOException | RuntimeException flush) {
                        e.addSuppressed(flush);
                    }
                }
                if (e instanceof InterruptedIOException) {
                    Thread.currentThread().interrupt();
                    EvaluationInterruptedException stopped = new EvaluationInterruptedException(done, n, cached,
                        cache == null ? null : cache.directory());
                    stopped.initCause(e);
                    LOG.debug("{}", stopped.getMessage());
                    throw stopped;
                }
                throw e;
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
                        PointCloud cloud = data.get(missing[m]).cloud();
                        clouds.add(firstPoints > 0 && cloud.size() > firstPoints ? cloud.first(firstPoints) : cloud);
                    }
                    float[] images = PipelineStages.encoderInput(clip, clouds, buffers.poll());
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
                throw ReadCheck.rethrow(e.getCause());
            }
        }
    }

    /** Builds an {@link Evaluator}; validates in {@link #build()}. */
    public static final class Builder {
        private PointClip clip;
        private Dataset dataset;
        private PromptSet prompts;
        private Integer firstPoints;
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
        private boolean validate = true;
        private boolean skipBad;

        private Builder() {
        }

        /**
         * Whether every sample whose features are not cached is read once before any encoding, so
         * that a file that cannot be read stops the evaluation before it starts (or is skipped, see
         * {@link #skipBad}). It costs one more read of each such sample; without it a bad file
         * stops the evaluation when its batch is projected, after the chunks before it were cached.
         *
         * @param check default true
         * @return this builder
         */
        public Builder validate(boolean check) {
            this.validate = check;
            return this;
        }

        /**
         * Leaves out the samples that cannot be read (a missing, truncated or malformed file)
         * instead of stopping, and lists them with their reason in
         * {@link EvaluationResult#skipped()}. The metrics are then over the readable samples, and
         * the result is not compared with published figures.
         *
         * @param skip default false: the first unreadable sample stops the evaluation before any
         *     encoding
         * @return this builder
         */
        public Builder skipBad(boolean skip) {
            this.skipBad = skip;
            return this;
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
         * @param n keep only the first n points of each cloud (0: all). Default: the pipeline's
         *     {@linkplain io.github.pointclip.Pipeline#pointsPerCloud() points per cloud} (1024 for the presets,
         *     as the references). The pipeline cuts clouds to its own count in any case, so the points used are
         *     the smaller of the two, and that is what the provenance records.
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
            if (firstPoints != null && firstPoints < 0) {
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
            if (skipBad && !validate) {
                throw new IllegalArgumentException("skipBad needs validate: bad samples are found by reading them up front");
            }
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
