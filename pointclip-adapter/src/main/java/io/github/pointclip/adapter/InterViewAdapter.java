package io.github.pointclip.adapter;

import io.github.pointclip.adapter.autograd.GradMode;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.internal.AdapterNetworks;
import io.github.pointclip.adapter.nn.BatchNorm;
import io.github.pointclip.adapter.nn.Linear;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PointCLIP's inter-view adapter (DESIGN §5). For a batch of raw view features x {@code [B, V·C]} (view-major):
 * <ul>
 *   <li>global branch: x·r (fusion ratio, one per view, init 0.5) → BatchNorm over C pooled over the B·V rows →
 *       Dropout → flatten to [B, V·C] → Linear(V·C → C) → BatchNorm1d(C) → ReLU → Dropout = g;</li>
 *   <li>view branch: Linear(C → C) → ReLU → Linear(C → V·C) → ReLU;</li>
 *   <li>output = 0.6·view(g) + 0.4·x, then one L2 normalisation over the whole V·C vector.</li>
 * </ul>
 * The logits multiply by 100 and the text features repeated V times and normalised over V·C.
 *
 * <p>Parameter and buffer names follow the reference PyTorch module, so they can serve as checkpoint tensor
 * names: {@code fusion_ratio [V]}; {@code global_f.0.bn.*} the first BatchNorm ({@code weight, bias, running_mean,
 * running_var}, [C]; the reference wraps its {@code BatchNorm1d} in a {@code BatchNormPoint} module as {@code bn}); {@code global_f.3.weight [C, V·C]}, {@code global_f.3.bias [C]};
 * {@code global_f.4.*} the second BatchNorm; {@code view_f.0.weight [C, C]}, {@code view_f.0.bias [C]};
 * {@code view_f.2.weight [V·C, C]}, {@code view_f.2.bias [V·C]}.
 * The initialisation and the dropout masks come from one seed, so training is reproducible bit for bit.
 * Not thread-safe.
 */
public final class InterViewAdapter {
    /** Logit scale of CLIP. */
    public static final double LOGIT_SCALE = 100.0;

    static {
        AdapterNetworks.install(new AdapterNetworks.Access() {
            @Override
            public Tensor forward(InterViewAdapter adapter, Tensor x, boolean training) {
                return adapter.forward(x, training);
            }

            @Override
            public Map<String, Tensor> parameters(InterViewAdapter adapter) {
                return adapter.parameters();
            }
        });
    }

    private final int views;
    private final int channels;
    private final double dropout;
    private final double adapterRatio;
    private final Precision precision;
    private final long seed;
    private final double fusionInit;
    private final Tensor fusionRatio;
    private final BatchNorm viewNorm;
    private final Linear globalLinear;
    private final BatchNorm globalNorm;
    private final Linear viewLinear1;
    private final Linear viewLinear2;
    private final SplittableRandom dropoutRandom;
    private final Map<String, Tensor> parameters;
    private final Map<String, Tensor> buffers;

    private InterViewAdapter(Builder b) {
        this.views = b.views;
        this.channels = b.channels;
        this.dropout = b.dropout;
        this.adapterRatio = b.adapterRatio;
        this.precision = b.precision;
        this.seed = b.seed;
        this.fusionInit = b.fusionInit;
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom init = root.split();
        this.dropoutRandom = root.split();
        fusionRatio = Tensor.parameter(precision, views, 1);
        for (int v = 0; v < views; v++) {
            fusionRatio.set(v, b.fusionInit);
        }
        viewNorm = new BatchNorm(channels, precision);
        globalLinear = new Linear(views * channels, channels, precision, init);
        globalNorm = new BatchNorm(channels, precision);
        viewLinear1 = new Linear(channels, channels, precision, init);
        viewLinear2 = new Linear(channels, views * channels, precision, init);

        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("fusion_ratio", fusionRatio);
        p.put("global_f.0.bn.weight", viewNorm.weight());
        p.put("global_f.0.bn.bias", viewNorm.bias());
        p.put("global_f.3.weight", globalLinear.weight());
        p.put("global_f.3.bias", globalLinear.bias());
        p.put("global_f.4.weight", globalNorm.weight());
        p.put("global_f.4.bias", globalNorm.bias());
        p.put("view_f.0.weight", viewLinear1.weight());
        p.put("view_f.0.bias", viewLinear1.bias());
        p.put("view_f.2.weight", viewLinear2.weight());
        p.put("view_f.2.bias", viewLinear2.bias());
        parameters = Collections.unmodifiableMap(p);
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("global_f.0.bn.running_mean", viewNorm.runningMean());
        s.put("global_f.0.bn.running_var", viewNorm.runningVar());
        s.put("global_f.4.running_mean", globalNorm.runningMean());
        s.put("global_f.4.running_var", globalNorm.runningVar());
        buffers = Collections.unmodifiableMap(s);
    }

    /**
     * @param views number of views V, ≥ 1
     * @param channels feature width C, ≥ 1
     * @return a builder with the PointCLIP defaults
     */
    public static Builder builder(int views, int channels) {
        return new Builder(views, channels);
    }

    /**
     * Adapted, normalised features.
     *
     * @param x raw (not normalised) view features [B, V·C], view-major, in this adapter's precision
     * @param training batch statistics, running-statistics updates and dropout (true) or inference (false)
     * @return [B, V·C], each row of unit length
     * @throws IllegalArgumentException on a shape or precision mismatch, or B &lt; 2 in training
     */
    private Tensor forward(Tensor x, boolean training) {
        if (x.cols() != views * channels) {
            throw new IllegalArgumentException("expected [B, " + views * channels + "] (V=" + views + ", C=" + channels
                    + "), got [" + x.rows() + ", " + x.cols() + "]");
        }
        int batch = x.rows();
        Tensor perView = Ops.reshape(x, batch * views, channels);
        Tensor a = Ops.mul(perView, Ops.tileRows(fusionRatio, batch));
        a = viewNorm.forward(a, training);
        a = Ops.dropout(a, dropout, dropoutRandom, training);
        a = Ops.reshape(a, batch, views * channels);
        a = globalLinear.forward(a);
        a = globalNorm.forward(a, training);
        a = Ops.relu(a);
        Tensor g = Ops.dropout(a, dropout, dropoutRandom, training);
        Tensor v = Ops.relu(viewLinear2.forward(Ops.relu(viewLinear1.forward(g))));
        Tensor out = Ops.add(Ops.scale(v, adapterRatio), Ops.scale(x, 1.0 - adapterRatio));
        return Ops.l2NormalizeRows(out);
    }

    /** @return trainable tensors by reference name, in the reference module's order (live, not copies) */
    private Map<String, Tensor> parameters() {
        return parameters;
    }

    /**
     * Copies of all parameters and running statistics, by reference name, with PyTorch shapes.
     *
     * @return an ordered map: parameters first, then buffers
     */
    public Map<String, StateTensor> stateDict() {
        Map<String, StateTensor> state = new LinkedHashMap<>();
        parameters.forEach((name, t) -> state.put(name, new StateTensor(shapeOf(name, t), t.toFloatArray())));
        buffers.forEach((name, t) -> state.put(name, new StateTensor(shapeOf(name, t), t.toFloatArray())));
        return state;
    }

    /**
     * Replaces all parameters and running statistics.
     *
     * @param state every name of {@link #stateDict()} with the same shape; no others
     * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped tensor
     */
    public void loadState(Map<String, StateTensor> state) {
        Map<String, Tensor> all = new LinkedHashMap<>(parameters);
        all.putAll(buffers);
        for (String name : state.keySet()) {
            if (!all.containsKey(name)) {
                throw new IllegalArgumentException("unexpected tensor '" + name + "'");
            }
        }
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            StateTensor s = state.get(e.getKey());
            if (s == null) {
                throw new IllegalArgumentException("missing tensor '" + e.getKey() + "'");
            }
            int[] expected = shapeOf(e.getKey(), e.getValue());
            if (!Arrays.equals(expected, s.shape())) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape " + Arrays.toString(s.shape())
                        + ", expected " + Arrays.toString(expected));
            }
        }
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            StateTensor s = state.get(e.getKey());
            Tensor t = e.getValue();
            for (int i = 0; i < t.size(); i++) {
                t.set(i, s.get(i));
            }
        }
    }

    private static int[] shapeOf(String name, Tensor t) {
        return name.endsWith(".weight") && (name.startsWith("global_f.3") || name.startsWith("view_f"))
                ? new int[] {t.rows(), t.cols()}
                : new int[] {t.size()};
    }

    /** @return number of views V */
    public int views() {
        return views;
    }

    /** @return feature width C */
    public int channels() {
        return channels;
    }

    /** @return weight of the adapted branch (the raw features get 1 − ratio) */
    public double adapterRatio() {
        return adapterRatio;
    }

    /** @return dropout probability in training */
    public double dropout() {
        return dropout;
    }

    /** @return the seed of the initialisation and the dropout masks */
    public long seed() {
        return seed;
    }

    /** @return parameter precision */
    public Precision precision() {
        return precision;
    }

    /** @return a builder with this adapter's settings */
    public Builder toBuilder() {
        return new Builder(views, channels).dropout(dropout).fusionInit(fusionInit).adapterRatio(adapterRatio).precision(precision).seed(seed);
    }

    /** Settings of an {@link InterViewAdapter}; validated in {@link #build()}. */
    public static final class Builder {
        private final int views;
        private final int channels;
        private double dropout = 0.075;
        private double fusionInit = 0.5;
        private double adapterRatio = 0.6;
        private Precision precision = Precision.FLOAT;
        private long seed;

        private Builder(int views, int channels) {
            this.views = views;
            this.channels = channels;
        }

        /**
         * @param p dropout probability in [0, 1); default 0.075
         * @return this
         */
        public Builder dropout(double p) {
            this.dropout = p;
            return this;
        }

        /**
         * @param init initial fusion ratio of every view; default 0.5
         * @return this
         */
        public Builder fusionInit(double init) {
            this.fusionInit = init;
            return this;
        }

        /**
         * @param ratio weight of the adapted branch in [0, 1] (the raw features get 1 − ratio); default 0.6
         * @return this
         */
        public Builder adapterRatio(double ratio) {
            this.adapterRatio = ratio;
            return this;
        }

        /**
         * @param precision parameter precision; default FLOAT (DOUBLE for gradient checks)
         * @return this
         */
        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /**
         * @param seed seed of the initialisation and the dropout masks; default 0
         * @return this
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @return the adapter, freshly initialised from the seed
         * @throws IllegalArgumentException on an invalid setting
         */
        public InterViewAdapter build() {
            if (views < 1 || channels < 1) {
                throw new IllegalArgumentException("views and channels must be ≥ 1, got " + views + ", " + channels);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            if (!(adapterRatio >= 0 && adapterRatio <= 1)) {
                throw new IllegalArgumentException("adapter ratio must be in [0, 1], got " + adapterRatio);
            }
            if (!Double.isFinite(fusionInit) || precision == null) {
                throw new IllegalArgumentException("bad fusion init " + fusionInit + " or precision " + precision);
            }
            return new InterViewAdapter(this);
        }
    }
}
