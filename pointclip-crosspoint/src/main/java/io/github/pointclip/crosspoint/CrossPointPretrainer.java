package io.github.pointclip.crosspoint;

import io.github.pointclip.Version;
import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.autograd.ComputeThreads;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.PointOps;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.checkpoint.CheckpointException;
import io.github.pointclip.adapter.checkpoint.SafeTensors;
import io.github.pointclip.adapter.optim.AdamW;
import io.github.pointclip.adapter.train.LearningRateSchedule;
import io.github.pointclip.adapter.train.TrainingDivergedException;
import io.github.pointclip.adapter.train.WarmupCosineSchedule;
import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.crosspoint.internal.Clouds;
import io.github.pointclip.crosspoint.internal.CrossPointNet;
import io.github.pointclip.crosspoint.internal.NtXent;
import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CrossPoint's self-supervised pre-training with the CLIP image side frozen. Each step takes B clouds, makes two
 * augmented copies of each ({@link CloudAugmentation}), runs the 2B copies through the backbone as one batch and
 * minimises {@code L = L_imid + L_cmid}: the NT-Xent loss between the two copies' IMID projections, and the
 * NT-Xent loss between the mean of the two copies' CMID projections and the clouds' CLIP image features
 * ({@link ImageTargets}), both with temperature τ (0.1). Either loss can be weighted or switched off
 * ({@link Builder#lossWeights}) for the paper's ablations. AdamW (lr 1e-3, weight decay 1e-6, the reference's Adam
 * settings with the decay decoupled) with a cosine schedule to 0 over the epochs; drop-last batches.
 *
 * <p>Deterministic for a seed: the epoch's order and each copy's augmentation come from generators seeded by
 * (seed, epoch[, sample, copy]), so a run resumed from its per-epoch state file gives the result of an
 * uninterrupted run (up to the optimiser's moments, stored in float). The state file ({@link Builder#stateFile})
 * is written atomically after every epoch and records a fingerprint of the settings and data; resuming from a
 * file with another fingerprint is refused. Interrupting the training thread stops the run after the current
 * step with a {@link CancellationException}, the last finished epoch kept in the state file.
 */
public final class CrossPointPretrainer {
    private static final Logger LOG = LoggerFactory.getLogger(CrossPointPretrainer.class);
    private static final String STATE_FORMAT = "pointclip-crosspoint-training-state";

    private final EncoderConfig config;
    private final int epochs;
    private final int batchSize;
    private final int points;
    private final long seed;
    private final double learningRate;
    private final double weightDecay;
    private final double temperature;
    private final double imidWeight;
    private final double cmidWeight;
    private final CloudAugmentation augmentation;
    private final int threads;
    private final PretrainListener listener;
    private final Path stateFile;
    private final boolean resume;
    private final Map<String, String> provenance;

    private CrossPointPretrainer(Builder b) {
        this.config = b.config;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.points = b.points;
        this.seed = b.seed;
        this.learningRate = b.learningRate;
        this.weightDecay = b.weightDecay;
        this.temperature = b.temperature;
        this.imidWeight = b.imidWeight;
        this.cmidWeight = b.cmidWeight;
        this.augmentation = b.augmentation;
        this.threads = b.threads;
        this.listener = b.listener;
        this.stateFile = b.stateFile;
        this.resume = b.resume;
        this.provenance = Map.copyOf(b.provenance);
    }

    /** @return a builder with CrossPoint's settings (PointNet, 100 epochs, batch 32, 1024 points, seed 0) */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Pre-trains a fresh encoder (or resumes one from the state file).
     *
     * @param clouds the training clouds (each resampled to the configured point count)
     * @param targets their CLIP image features, in the same order
     * @return the checkpoint of the trained encoder and the loss history
     * @throws IllegalArgumentException if there are fewer than 2 clouds or the counts differ
     * @throws CheckpointException if the state file to resume from belongs to another run
     * @throws TrainingDivergedException if a loss is not finite
     * @throws CancellationException if the thread was interrupted (its interrupt flag is kept)
     * @throws IOException if the state file cannot be read or written
     */
    public PretrainResult pretrain(List<PointCloud> clouds, ImageTargets targets) throws IOException {
        Objects.requireNonNull(clouds, "clouds");
        Objects.requireNonNull(targets, "targets");
        if (clouds.size() != targets.size()) {
            throw new IllegalArgumentException(clouds.size() + " clouds but " + targets.size() + " image targets");
        }
        if (clouds.size() < 2) {
            throw new IllegalArgumentException("pre-training needs at least 2 clouds, got " + clouds.size());
        }
        float[][] xyz = new float[clouds.size()][];
        for (int i = 0; i < xyz.length; i++) {
            try {
                xyz[i] = Clouds.fixedSize(clouds.get(i), points);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cloud " + i + ": " + e.getMessage(), e);
            }
        }
        try (ComputeThreads helper = threads > 1 ? ComputeThreads.open() : null) {
            return run(xyz, targets);
        }
    }

    private PretrainResult run(float[][] xyz, ImageTargets targets) throws IOException {
        int n = xyz.length;
        int batch = Math.min(batchSize, n);
        int steps = n / batch;
        int dim = targets.dim();
        CrossPointNet net = initialNetwork(dim);
        List<Tensor> params = new ArrayList<>(net.parameters().values());
        AdamW adam = new AdamW(params, learningRate, 0.9, 0.999, 1e-8, weightDecay);
        LearningRateSchedule schedule = new WarmupCosineSchedule(learningRate, 0.0, 0, 0.0, false, epochs);
        String fingerprint = fingerprint(xyz, targets);
        List<PretrainEpoch> history = new ArrayList<>();
        int first = 0;
        if (resume && stateFile != null && Files.exists(stateFile)) {
            first = restore(net, adam, fingerprint, history);
            LOG.info("resuming from {} after epoch {}", stateFile, first);
        }
        // the average of the two copies' rows: [B, 2B] = ½·[I I]
        Tensor average = Tensor.zeros(Precision.FLOAT, batch, 2 * batch);
        for (int i = 0; i < batch; i++) {
            average.set(i * 2 * batch + i, 0.5);
            average.set(i * 2 * batch + batch + i, 0.5);
        }
        Tensor x = Tensor.zeros(Precision.FLOAT, 2 * batch * points, 3);
        float[] xData = x.floatMatrix().data;
        Tensor image = Tensor.zeros(Precision.FLOAT, batch, dim);
        float[] imageData = image.floatMatrix().data;
        float[] targetData = targets.features();
        int[] perm = new int[n];
        long start = System.nanoTime();
        listener.onStart(first, epochs, steps);
        LOG.debug("pre-training {} on {} clouds × {} points: {} epochs × {} steps of {}", config, n, points, epochs,
                steps, batch);
        for (int epoch = first; epoch < epochs; epoch++) {
            long epochStart = System.nanoTime();
            double rate = schedule.rate(epoch);
            adam.setLearningRate(rate);
            shuffle(perm, new SplittableRandom(mix(seed, epoch, -1, 0)));
            double imidSum = 0;
            double cmidSum = 0;
            for (int step = 0; step < steps; step++) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("pre-training interrupted in epoch " + epoch + " (step " + step
                            + "); the last finished epoch is " + (epoch - 1));
                }
                for (int i = 0; i < batch; i++) {
                    int sample = perm[step * batch + i];
                    for (int copy = 0; copy < 2; copy++) {
                        float[] aug = augmentation.apply(xyz[sample], points,
                                new SplittableRandom(mix(seed, epoch, sample, copy + 1)));
                        System.arraycopy(aug, 0, xData, (copy * batch + i) * points * 3, points * 3);
                    }
                    System.arraycopy(targetData, sample * dim, imageData, i * dim, dim);
                }
                double[] losses = step(net, adam, x, average, image);
                double li = losses[0];
                double lc = losses[1];
                if (!Double.isFinite(li + lc)) {
                    throw new TrainingDivergedException(epoch, step, li + lc);
                }
                adam.step();
                imidSum += li;
                cmidSum += lc;
                listener.onStep(epoch, step, li, lc);
            }
            PretrainEpoch stats = new PretrainEpoch(epoch, rate, imidSum / steps, cmidSum / steps,
                    (System.nanoTime() - epochStart) / 1_000_000);
            history.add(stats);
            if (stateFile != null) {
                saveState(net, adam, fingerprint, history);
            }
            listener.onEpoch(stats);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        PretrainEpoch last = history.get(history.size() - 1);
        LOG.info("pre-trained {} epochs in {} ms: imid {}, cmid {}", epochs - first, millis, last.imidLoss(),
                last.cmidLoss());
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.putAll(settings());
        meta.put("epochs_done", Integer.toString(epochs));
        meta.put("samples", Integer.toString(n));
        meta.put("clip_model", targets.modelId());
        if (targets.clipModelId() != null) {
            meta.put("model_id", targets.clipModelId()); // what PointClip compares with its model's id
        }
        meta.put("imid_loss", format(last.imidLoss()));
        meta.put("cmid_loss", format(last.cmidLoss()));
        meta.put("created_by", "pointclip-crosspoint " + Version.get());
        CrossPointCheckpoint checkpoint = new CrossPointCheckpoint(config, dim, points, net.stateDict(), meta);
        return new PretrainResult(checkpoint, history, millis);
    }

    /**
     * Forward and backward of one batch; a method of its own so that the step's graph is unreachable once it
     * returns (locals of the loop would hold it while the next one is built).
     *
     * @return {imid loss, cmid loss}
     */
    private double[] step(CrossPointNet net, AdamW adam, Tensor x, Tensor average, Tensor image) {
        adam.zeroGrad();
        Tensor features = net.features(x, points, true);
        Tensor imid = NtXent.stacked(net.imid(features, true), temperature);
        Tensor pointSide = Ops.matmul(average, net.cmid(features, true));
        Tensor cmid = NtXent.stacked(PointOps.concatRows(pointSide, image), temperature);
        Tensor loss = Ops.add(Ops.scale(imid, imidWeight), Ops.scale(cmid, cmidWeight));
        loss.backward();
        return new double[] {imid.get(0), cmid.get(0)};
    }

    private CrossPointNet initialNetwork(int clipDim) {
        return new CrossPointNet(config, clipDim, Precision.FLOAT, new SplittableRandom(mix(seed, -1, -1, 0)));
    }

    /**
     * The encoder this trainer starts from, before any step: the randomly initialised baseline that a
     * pre-trained encoder is compared with (batch norm at its initial running statistics).
     *
     * @param clipDim width of the CLIP space
     * @return the untrained checkpoint, its metadata saying {@code epochs_done = 0}
     */
    public CrossPointCheckpoint initialCheckpoint(int clipDim) {
        Map<String, String> meta = new LinkedHashMap<>(provenance);
        meta.putAll(settings());
        meta.put("epochs_done", "0");
        meta.put("created_by", "pointclip-crosspoint " + Version.get());
        return new CrossPointCheckpoint(config, clipDim, points, initialNetwork(clipDim).stateDict(), meta);
    }

    private Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("epochs", Integer.toString(epochs));
        m.put("batch", Integer.toString(batchSize));
        m.put("seed", Long.toString(seed));
        m.put("learning_rate", format(learningRate));
        m.put("weight_decay", format(weightDecay));
        m.put("temperature", format(temperature));
        if (imidWeight != 1 || cmidWeight != 1) { // the paper's sum: no keys, so older states and checkpoints match
            m.put("imid_weight", format(imidWeight));
            m.put("cmid_weight", format(cmidWeight));
        }
        m.put("augmentation", augmentation.toString());
        return m;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Identity of a run: every setting that changes the result, the clouds and the targets. */
    private String fingerprint(float[][] xyz, ImageTargets targets) {
        MessageDigest d = Sha256.newDigest();
        // not the thread count: one or two threads give the same run
        String s = config + "|" + targets.dim() + "|" + points + "|" + settings() + "|" + xyz.length;
        d.update(s.getBytes(StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(4 * Math.max(targets.features().length, 3 * points))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] c : xyz) {
            buf.clear();
            buf.asFloatBuffer().put(c);
            d.update(buf.array(), 0, 4 * c.length);
        }
        buf.clear();
        buf.asFloatBuffer().put(targets.features());
        d.update(buf.array(), 0, 4 * targets.features().length);
        return Sha256.hex(d.digest());
    }

    private void saveState(CrossPointNet net, AdamW adam, String fingerprint, List<PretrainEpoch> history)
            throws IOException {
        Map<String, StateTensor> tensors = new LinkedHashMap<>(net.stateDict());
        AdamW.State s = adam.state();
        List<String> names = new ArrayList<>(net.parameters().keySet());
        for (int t = 0; t < names.size(); t++) {
            tensors.put("optimizer.m." + names.get(t), new StateTensor(new int[] {s.firstMoments()[t].length},
                    toFloats(s.firstMoments()[t])));
            tensors.put("optimizer.v." + names.get(t), new StateTensor(new int[] {s.secondMoments()[t].length},
                    toFloats(s.secondMoments()[t])));
        }
        StringBuilder losses = new StringBuilder();
        for (PretrainEpoch e : history) {
            losses.append(losses.length() == 0 ? "" : ";").append(e.epoch()).append(',').append(e.learningRate())
                    .append(',').append(e.imidLoss()).append(',').append(e.cmidLoss()).append(',').append(e.millis());
        }
        Map<String, String> meta = new LinkedHashMap<>(settings());
        meta.put("format", STATE_FORMAT);
        meta.put("fingerprint", fingerprint);
        meta.put("epochs_done", Integer.toString(history.get(history.size() - 1).epoch() + 1));
        meta.put("optimizer_steps", Integer.toString(s.steps()));
        meta.put("history", losses.toString());
        SafeTensors.write(stateFile, tensors, meta);
    }

    private int restore(CrossPointNet net, AdamW adam, String fingerprint, List<PretrainEpoch> history)
            throws IOException {
        SafeTensors.Contents c = SafeTensors.read(stateFile);
        Map<String, String> meta = c.metadata();
        if (!STATE_FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(stateFile, "not a CrossPoint training state (format " + meta.get("format")
                    + ")");
        }
        if (!fingerprint.equals(meta.get("fingerprint"))) {
            throw new CheckpointException(stateFile, "belongs to another run (other settings, clouds or CLIP "
                    + "features); delete it or train without resuming");
        }
        Map<String, StateTensor> model = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (!k.startsWith("optimizer.")) {
                model.put(k, v);
            }
        });
        try {
            net.loadState(model);
            List<String> names = new ArrayList<>(net.parameters().keySet());
            double[][] m = new double[names.size()][];
            double[][] v = new double[names.size()][];
            for (int t = 0; t < names.size(); t++) {
                m[t] = toDoubles(c.tensors().get("optimizer.m." + names.get(t)), names.get(t));
                v[t] = toDoubles(c.tensors().get("optimizer.v." + names.get(t)), names.get(t));
            }
            adam.loadState(new AdamW.State(Integer.parseInt(meta.get("optimizer_steps")), m, v));
            for (String e : meta.get("history").split(";")) {
                String[] f = e.split(",");
                history.add(new PretrainEpoch(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
                        Double.parseDouble(f[2]), Double.parseDouble(f[3]), Long.parseLong(f[4])));
            }
            return Integer.parseInt(meta.get("epochs_done"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CheckpointException(stateFile, "incomplete training state: " + e.getMessage(), e);
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] toDoubles(StateTensor t, String name) {
        if (t == null) {
            throw new IllegalArgumentException("no optimiser state for '" + name + "'");
        }
        float[] f = t.data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static void shuffle(int[] perm, SplittableRandom random) {
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        for (int i = perm.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
    }

    /** A seed for (seed, epoch, sample, copy), well mixed (SplitMix64's finaliser over a combination). */
    static long mix(long seed, int epoch, int sample, int copy) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + sample * 0x94D049BB133111EBL
                + copy * 0x2545F4914F6CDD1DL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return the architecture */
    public EncoderConfig config() {
        return config;
    }

    /** @return epochs */
    public int epochs() {
        return epochs;
    }

    /** @return the batch size */
    public int batchSize() {
        return batchSize;
    }

    /** @return points per cloud */
    public int points() {
        return points;
    }

    /** Settings of a {@link CrossPointPretrainer}. */
    public static final class Builder {
        private EncoderConfig config = EncoderConfig.pointNet();
        private int epochs = 100;
        private int batchSize = 32;
        private int points = 1024;
        private long seed;
        private double learningRate = 1e-3;
        private double weightDecay = 1e-6;
        private double temperature = NtXent.DEFAULT_TEMPERATURE;
        private double imidWeight = 1;
        private double cmidWeight = 1;
        private CloudAugmentation augmentation = CloudAugmentation.crossPoint();
        private int threads = 1;
        private PretrainListener listener = PretrainListener.NONE;
        private Path stateFile;
        private boolean resume;
        private final Map<String, String> provenance = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param c the architecture (default PointNet)
         * @return this
         */
        public Builder encoder(EncoderConfig c) {
            this.config = Objects.requireNonNull(c, "config");
            return this;
        }

        /**
         * @param n epochs, ≥ 1 (default 100; the reference runs 250 on ShapeNet)
         * @return this
         */
        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("epochs must be ≥ 1, got " + n);
            }
            this.epochs = n;
            return this;
        }

        /**
         * @param n clouds per step, ≥ 2 (default 32; NT-Xent draws its negatives from the batch)
         * @return this
         */
        public Builder batchSize(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("batch size must be ≥ 2, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /**
         * @param n points per cloud, ≥ 2 (default 1024; the reference uses 2048)
         * @return this
         */
        public Builder points(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("points must be ≥ 2, got " + n);
            }
            this.points = n;
            return this;
        }

        /**
         * @param s seed of initialisation, order and augmentation (default 0)
         * @return this
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * @param rate peak learning rate, &gt; 0 (default 1e-3)
         * @return this
         */
        public Builder learningRate(double rate) {
            if (!(rate > 0)) {
                throw new IllegalArgumentException("learning rate must be > 0, got " + rate);
            }
            this.learningRate = rate;
            return this;
        }

        /**
         * @param wd decoupled weight decay, ≥ 0 (default 1e-6)
         * @return this
         */
        public Builder weightDecay(double wd) {
            if (!(wd >= 0)) {
                throw new IllegalArgumentException("weight decay must be ≥ 0, got " + wd);
            }
            this.weightDecay = wd;
            return this;
        }

        /**
         * @param t NT-Xent temperature, &gt; 0 (default 0.1)
         * @return this
         */
        public Builder temperature(double t) {
            if (!(t > 0)) {
                throw new IllegalArgumentException("temperature must be > 0, got " + t);
            }
            this.temperature = t;
            return this;
        }

        /**
         * Weights of the two losses in {@code L = a·L_imid + b·L_cmid}: (1, 1) is the paper's loss, (1, 0) and
         * (0, 1) its ablations (intra-modal or cross-modal only). Both losses are still computed and reported.
         *
         * @param imid a, ≥ 0 (default 1)
         * @param cmid b, ≥ 0 (default 1)
         * @return this
         * @throws IllegalArgumentException if a weight is negative or not finite, or both are 0
         */
        public Builder lossWeights(double imid, double cmid) {
            if (!(imid >= 0 && cmid >= 0 && Double.isFinite(imid) && Double.isFinite(cmid)) || imid + cmid == 0) {
                throw new IllegalArgumentException("loss weights must be finite and ≥ 0, not both 0; got IMID " + imid
                        + ", CMID " + cmid);
            }
            this.imidWeight = imid;
            this.cmidWeight = cmid;
            return this;
        }

        /**
         * @param a the augmentation of each copy (default {@link CloudAugmentation#crossPoint()})
         * @return this
         */
        public Builder augmentation(CloudAugmentation a) {
            this.augmentation = Objects.requireNonNull(a, "augmentation");
            return this;
        }

        /**
         * @param n compute threads, 1 or 2 (a helper thread for the large products and the k-NN search; results
         *     are the same)
         * @return this
         */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads must be ≥ 1, got " + n);
            }
            this.threads = n;
            return this;
        }

        /**
         * @param l progress listener
         * @return this
         */
        public Builder listener(PretrainListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * @param file where the model and optimiser state are written after every epoch, or null for none
         * @param resumeFromIt whether an existing file there is resumed from (else it is overwritten)
         * @return this
         */
        public Builder stateFile(Path file, boolean resumeFromIt) {
            this.stateFile = file;
            this.resume = resumeFromIt;
            return this;
        }

        /**
         * @param key metadata key written into the checkpoint (dataset name, …)
         * @param value its value
         * @return this
         */
        public Builder provenance(String key, String value) {
            provenance.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** @return the trainer */
        public CrossPointPretrainer build() {
            if (EncoderConfig.DGCNN.equals(config.kind()) && config.k() > points) {
                throw new IllegalArgumentException("DGCNN with k = " + config.k() + " needs at least that many points, got "
                        + points);
            }
            return new CrossPointPretrainer(this);
        }
    }
}
