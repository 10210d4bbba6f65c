package io.github.pointclip.crosspoint.internal;

import io.github.pointclip.adapter.Precision;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.PointOps;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.nn.BatchNorm;
import io.github.pointclip.crosspoint.EncoderConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * CrossPoint's point network: a PointNet or DGCNN backbone giving a global feature per cloud, an intra-modal
 * projection head (IMID, to 256) and a cross-modal one (CMID, to CLIP's width). Input: a batch of B clouds of
 * N points as a {@code [B·N, 3]} tensor, cloud-major. Parameters and buffers are named like the reference's
 * PyTorch state dict ({@code backbone.conv1.weight}, {@code backbone.bn1.running_mean},
 * {@code inv_head.0.weight}, …); DGCNN's EdgeConv weight {@code [out, 2·in]} is stored as the reference lays it
 * out (the first {@code in} columns act on x<sub>j</sub> − x<sub>i</sub>, the others on x<sub>i</sub>) and held
 * here as its two halves. Not thread-safe in training; inference ({@code training = false} under
 * {@code GradMode.disable()}) only reads the parameters.
 */
public final class CrossPointNet {
    /** DGCNN's LeakyReLU slope. */
    static final double LEAKY_SLOPE = 0.2;

    private final EncoderConfig config;
    private final int clipDim;
    private final Precision precision;
    /** PointNet: the weight of each layer; DGCNN: the neighbour half of each EdgeConv weight, then conv5. */
    private final List<Tensor> weights = new ArrayList<>();
    /** DGCNN only: the centre half (acting on x_i) of each EdgeConv weight. */
    private final List<Tensor> centreWeights = new ArrayList<>();
    private final List<BatchNorm> norms = new ArrayList<>();
    private final Head imid;
    private final Head cmid;

    /** Linear → BatchNorm → ReLU → Linear, as the reference's {@code inv_head}. */
    private static final class Head {
        final Tensor w1;
        final Tensor b1;
        final BatchNorm bn;
        final Tensor w2;
        final Tensor b2;

        Head(int in, int hidden, int out, Precision precision, RandomGenerator random) {
            w1 = uniform(precision, hidden, in, in, random);
            b1 = uniform(precision, 1, hidden, in, random);
            bn = new BatchNorm(hidden, precision);
            w2 = uniform(precision, out, hidden, hidden, random);
            b2 = uniform(precision, 1, out, hidden, random);
        }

        Tensor forward(Tensor x, boolean training) {
            Tensor h = Ops.add(Ops.matmulTransB(x, w1), b1);
            h = Ops.relu(bn.forward(h, training));
            return Ops.add(Ops.matmulTransB(h, w2), b2);
        }

        void collect(String prefix, Map<String, Tensor> params, Map<String, Tensor> buffers) {
            params.put(prefix + ".0.weight", w1);
            params.put(prefix + ".0.bias", b1);
            params.put(prefix + ".1.weight", bn.weight());
            params.put(prefix + ".1.bias", bn.bias());
            buffers.put(prefix + ".1.running_mean", bn.runningMean());
            buffers.put(prefix + ".1.running_var", bn.runningVar());
            params.put(prefix + ".3.weight", w2);
            params.put(prefix + ".3.bias", b2);
        }
    }

    /**
     * A freshly initialised network (PyTorch's default initialisation: U(±1/√fan-in) for weights and biases,
     * batch norm at identity).
     *
     * @param config the architecture
     * @param clipDim width of the CLIP space the CMID head maps into
     * @param precision parameter precision (DOUBLE for gradient checks)
     * @param random initialisation source
     */
    public CrossPointNet(EncoderConfig config, int clipDim, Precision precision, RandomGenerator random) {
        if (clipDim < 1) {
            throw new IllegalArgumentException("CLIP width must be ≥ 1, got " + clipDim);
        }
        this.config = config;
        this.clipDim = clipDim;
        this.precision = precision;
        int[] widths = config.widths();
        if (isDgcnn()) {
            int in = 3;
            int concat = 0;
            for (int w : widths) {
                Tensor full = uniform(precision, w, 2 * in, 2 * in, random);
                Tensor wn = Tensor.parameter(precision, w, in);
                Tensor wc = Tensor.parameter(precision, w, in);
                for (int o = 0; o < w; o++) {
                    for (int j = 0; j < in; j++) {
                        wn.set(o * in + j, full.get(o, j));
                        wc.set(o * in + j, full.get(o, in + j));
                    }
                }
                weights.add(wn);
                centreWeights.add(wc);
                norms.add(new BatchNorm(w, precision));
                concat += w;
                in = w;
            }
            weights.add(uniform(precision, config.embDims(), concat, concat, random));
            norms.add(new BatchNorm(config.embDims(), precision));
        } else {
            int in = 3;
            for (int w : widths) {
                weights.add(uniform(precision, w, in, in, random));
                norms.add(new BatchNorm(w, precision));
                in = w;
            }
            weights.add(uniform(precision, config.embDims(), in, in, random));
            norms.add(new BatchNorm(config.embDims(), precision));
        }
        imid = new Head(config.featureDim(), config.headHidden(), config.imidDim(), precision, random);
        cmid = new Head(config.featureDim(), config.headHidden(), clipDim, precision, random);
    }

    private static Tensor uniform(Precision precision, int rows, int cols, int fanIn, RandomGenerator random) {
        Tensor t = Tensor.parameter(precision, rows, cols);
        double bound = 1.0 / Math.sqrt(fanIn);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, random.nextDouble(-bound, bound));
        }
        return t;
    }

    private boolean isDgcnn() {
        return EncoderConfig.DGCNN.equals(config.kind());
    }

    /** @return the architecture */
    public EncoderConfig config() {
        return config;
    }

    /** @return the CMID head's output width */
    public int clipDim() {
        return clipDim;
    }

    /** @return the parameter precision */
    public Precision precision() {
        return precision;
    }

    /**
     * The backbone's global features.
     *
     * @param xyz [B·N, 3] coordinates, cloud-major
     * @param points N, ≥ 2 (and ≥ k for DGCNN)
     * @param training batch statistics (and their running update) or running statistics
     * @return [B, featureDim]
     */
    public Tensor features(Tensor xyz, int points, boolean training) {
        if (xyz.cols() != 3 || xyz.rows() % points != 0) {
            throw new IllegalArgumentException("expected [B·" + points + ", 3] coordinates, got [" + xyz.rows() + ", "
                    + xyz.cols() + "]");
        }
        return isDgcnn() ? dgcnn(xyz, points, training) : pointNet(xyz, points, training);
    }

    private Tensor pointNet(Tensor xyz, int points, boolean training) {
        Tensor h = xyz;
        for (int l = 0; l < weights.size(); l++) {
            h = Ops.relu(norms.get(l).forward(Ops.matmulTransB(h, weights.get(l)), training));
        }
        return PointOps.maxPoolGroups(h, points);
    }

    private Tensor dgcnn(Tensor xyz, int points, boolean training) {
        int k = config.k();
        if (k > points) {
            throw new IllegalArgumentException("DGCNN with k = " + k + " needs at least " + k + " points per cloud, got "
                    + points);
        }
        int edgeLayers = centreWeights.size();
        Tensor[] outs = new Tensor[edgeLayers];
        Tensor h = xyz;
        for (int l = 0; l < edgeLayers; l++) {
            int[] neighbours = PointOps.knn(h, points, k);
            Tensor p = Ops.matmulTransB(h, weights.get(l));
            Tensor q = Ops.add(Ops.matmulTransB(h, centreWeights.get(l)), Ops.scale(p, -1));
            // edges → batch norm → leaky ReLU → max over the k edges, fused: no [B·N·k, C] tensor is kept
            BatchNorm bn = norms.get(l);
            h = PointOps.edgeConvMax(p, q, neighbours, k, bn.weight(), bn.bias(), bn.runningMean(), bn.runningVar(),
                    training, BatchNorm.MOMENTUM, BatchNorm.EPS, LEAKY_SLOPE);
            outs[l] = h;
        }
        Tensor cat = PointOps.concatCols(outs);
        Tensor e = PointOps.leakyRelu(norms.get(edgeLayers).forward(Ops.matmulTransB(cat, weights.get(edgeLayers)),
                training), LEAKY_SLOPE);
        return PointOps.concatCols(PointOps.maxPoolGroups(e, points), PointOps.meanPoolGroups(e, points));
    }

    /**
     * @param features [B, featureDim]
     * @param training batch or running statistics
     * @return the IMID projection [B, imidDim]
     */
    public Tensor imid(Tensor features, boolean training) {
        return imid.forward(features, training);
    }

    /**
     * @param features [B, featureDim]
     * @param training batch or running statistics
     * @return the CMID projection into CLIP's space [B, clipDim]
     */
    public Tensor cmid(Tensor features, boolean training) {
        return cmid.forward(features, training);
    }

    /** @return the trainable tensors by name, in a fixed order (live) */
    public Map<String, Tensor> parameters() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        collect(params, new LinkedHashMap<>());
        return params;
    }

    /** @return the batch-norm running statistics by name (live) */
    public Map<String, Tensor> buffers() {
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        collect(new LinkedHashMap<>(), buffers);
        return buffers;
    }

    private void collect(Map<String, Tensor> params, Map<String, Tensor> buffers) {
        for (int l = 0; l < weights.size(); l++) {
            String conv = "backbone.conv" + (l + 1);
            if (l < centreWeights.size()) {
                params.put(conv + ".weight_neighbour", weights.get(l));
                params.put(conv + ".weight_centre", centreWeights.get(l));
            } else {
                params.put(conv + ".weight", weights.get(l));
            }
            String bn = "backbone.bn" + (l + 1);
            params.put(bn + ".weight", norms.get(l).weight());
            params.put(bn + ".bias", norms.get(l).bias());
            buffers.put(bn + ".running_mean", norms.get(l).runningMean());
            buffers.put(bn + ".running_var", norms.get(l).runningVar());
        }
        imid.collect("inv_head", params, buffers);
        cmid.collect("clip_head", params, buffers);
    }

    /**
     * The state as the reference names and shapes it: each EdgeConv's two halves joined into one
     * {@code [out, 2·in]} weight; everything else as held.
     *
     * @return copies of every parameter and buffer
     */
    public Map<String, StateTensor> stateDict() {
        Map<String, StateTensor> state = new LinkedHashMap<>();
        Map<String, Tensor> all = new LinkedHashMap<>(parameters());
        all.putAll(buffers());
        for (Map.Entry<String, Tensor> e : all.entrySet()) {
            String name = e.getKey();
            if (name.endsWith(".weight_centre")) {
                continue;
            }
            if (name.endsWith(".weight_neighbour")) {
                String base = name.substring(0, name.length() - "_neighbour".length());
                Tensor wn = e.getValue();
                Tensor wc = all.get(base + "_centre");
                int out = wn.rows();
                int in = wn.cols();
                float[] joined = new float[out * 2 * in];
                for (int o = 0; o < out; o++) {
                    for (int j = 0; j < in; j++) {
                        joined[o * 2 * in + j] = (float) wn.get(o, j);
                        joined[o * 2 * in + in + j] = (float) wc.get(o, j);
                    }
                }
                state.put(base, new StateTensor(new int[] {out, 2 * in}, joined));
            } else {
                Tensor t = e.getValue();
                // vectors as PyTorch shapes them ([C], not [1, C])
                int[] shape = t.rows() == 1 ? new int[] {t.cols()} : new int[] {t.rows(), t.cols()};
                state.put(name, new StateTensor(shape, t.toFloatArray()));
            }
        }
        return state;
    }

    /**
     * Overwrites every parameter and buffer from a state dict of the same architecture.
     *
     * @param state tensors named as {@link #stateDict()} names them
     * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped tensor
     */
    public void loadState(Map<String, StateTensor> state) {
        Map<String, StateTensor> expected = stateDict();
        for (String name : state.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException("unexpected tensor '" + name + "' for a " + config + " encoder");
            }
        }
        Map<String, Tensor> all = new LinkedHashMap<>(parameters());
        all.putAll(buffers());
        for (Map.Entry<String, StateTensor> e : expected.entrySet()) {
            String name = e.getKey();
            StateTensor given = state.get(name);
            if (given == null) {
                throw new IllegalArgumentException("missing tensor '" + name + "' for a " + config + " encoder");
            }
            if (given.size() != e.getValue().size() || !java.util.Arrays.equals(flatShape(given), flatShape(e.getValue()))) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape "
                        + java.util.Arrays.toString(given.shape()) + ", expected "
                        + java.util.Arrays.toString(e.getValue().shape()));
            }
            float[] data = given.data();
            Tensor whole = all.get(name);
            if (whole != null) {
                for (int i = 0; i < data.length; i++) {
                    whole.set(i, data[i]);
                }
            } else {
                Tensor wn = all.get(name + "_neighbour");
                Tensor wc = all.get(name + "_centre");
                int in = wn.cols();
                for (int o = 0; o < wn.rows(); o++) {
                    for (int j = 0; j < in; j++) {
                        wn.set(o * in + j, data[o * 2 * in + j]);
                        wc.set(o * in + j, data[o * 2 * in + in + j]);
                    }
                }
            }
        }
    }

    /** Shape without leading/trailing 1s of a vector, so that [C] and [1, C] compare equal. */
    private static int[] flatShape(StateTensor t) {
        int[] s = t.shape();
        if (s.length == 2 && s[0] == 1) {
            return new int[] {s[1]};
        }
        return s;
    }
}
