package io.github.pointclip.adapter.internal;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.autograd.GradMode;
import io.github.pointclip.adapter.autograd.Ops;
import io.github.pointclip.adapter.autograd.Tensor;
import io.github.pointclip.adapter.train.FeatureSet;
import java.util.Map;

/**
 * The {@link InterViewAdapter} as a network of autograd tensors, for the adapter module's trainer,
 * checkpoint head and tests: its forward pass, logits and live parameters. They are not part of
 * {@code InterViewAdapter}'s public API (the autograd package is not exported): the adapter
 * installs an {@link Access} from its static initialiser, the JDK's SharedSecrets pattern.
 */
public final class AdapterNetworks {

    /** What {@link InterViewAdapter} implements for this class; installed once, by the adapter itself. */
    public interface Access {
        /** @see AdapterNetworks#forward(InterViewAdapter, Tensor, boolean) */
        Tensor forward(InterViewAdapter adapter, Tensor x, boolean training);

        /** @see AdapterNetworks#parameters(InterViewAdapter) */
        Map<String, Tensor> parameters(InterViewAdapter adapter);
    }

    private static volatile Access access;

    private AdapterNetworks() {
    }

    /**
     * Called once, from {@link InterViewAdapter}'s static initialiser.
     *
     * @param a the implementation, a class nested in {@code InterViewAdapter}
     * @throws IllegalArgumentException if {@code a} is not {@code InterViewAdapter}'s
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(Access a) {
        if (a == null || a.getClass().getNestHost() != InterViewAdapter.class) {
            throw new IllegalArgumentException("only InterViewAdapter installs the AdapterNetworks access, not "
                + (a == null ? null : a.getClass().getName()));
        }
        if (access != null) {
            throw new IllegalStateException("AdapterNetworks access is installed already");
        }
        access = a;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try { // a caller with an adapter has initialised the class already; this covers the rest
                Class.forName(InterViewAdapter.class.getName(), true, InterViewAdapter.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }

    /**
     * Adapted, normalised features.
     *
     * @param adapter the adapter
     * @param x raw (not normalised) view features [B, V·C], view-major, in the adapter's precision
     * @param training batch statistics, running-statistics updates and dropout (true) or inference (false)
     * @return [B, V·C], each row of unit length
     * @throws IllegalArgumentException on a shape or precision mismatch, or B &lt; 2 in training
     */
    public static Tensor forward(InterViewAdapter adapter, Tensor x, boolean training) {
        return access().forward(adapter, x, training);
    }

    /**
     * Class logits, 100·⟨forward(x), t̃_c⟩.
     *
     * @param adapter the adapter
     * @param x raw view features [B, V·C]
     * @param repeatedText text features from {@link #repeatText} [K, V·C]
     * @param training as in {@link #forward}
     * @return [B, K]
     */
    public static Tensor logits(InterViewAdapter adapter, Tensor x, Tensor repeatedText, boolean training) {
        return Ops.scale(Ops.matmulTransB(forward(adapter, x, training), repeatedText), InterViewAdapter.LOGIT_SCALE);
    }

    /**
     * @param adapter the adapter
     * @return its trainable tensors by reference name, in the reference module's order (live, not copies)
     */
    public static Map<String, Tensor> parameters(InterViewAdapter adapter) {
        return access().parameters(adapter);
    }

    /**
     * The fixed text side of the logits: each class feature repeated V times and normalised over all V·C
     * values (which is t_c / (√V·‖t_c‖)). Computed without recording.
     *
     * @param text class text features [K, C]
     * @param views number of views V
     * @return a constant [K, V·C]
     */
    public static Tensor repeatText(Tensor text, int views) {
        try (GradMode.Scope ignored = GradMode.disable()) {
            int k = text.rows();
            int c = text.cols();
            Tensor repeated = Tensor.zeros(text.precision(), k, views * c);
            for (int i = 0; i < k; i++) {
                for (int v = 0; v < views; v++) {
                    for (int j = 0; j < c; j++) {
                        repeated.set(i * views * c + v * c + j, text.get(i, j));
                    }
                }
            }
            Tensor normalised = Ops.l2NormalizeRows(repeated);
            return normalised;
        }
    }

    /**
     * Accuracy of an adapter in inference mode.
     *
     * @param adapter the adapter
     * @param features labelled features
     * @param repeatedText text from {@link #repeatText}
     * @return the share of rows whose highest logit is the label
     */
    public static double accuracy(InterViewAdapter adapter, FeatureSet features, Tensor repeatedText) {
        int width = features.rowWidth();
        int chunk = 256;
        int correct = 0;
        try (GradMode.Scope ignored = GradMode.disable()) {
            for (int first = 0; first < features.size(); first += chunk) {
                int rows = Math.min(chunk, features.size() - first);
                float[] buf = new float[rows * width];
                int[] labels = new int[rows];
                for (int i = 0; i < rows; i++) {
                    features.copyRow(first + i, buf, i * width);
                    labels[i] = features.label(first + i);
                }
                correct += countCorrect(logits(adapter, Tensor.fromFloats(rows, width, buf), repeatedText, false), labels);
            }
        }
        return features.size() == 0 ? Double.NaN : correct / (double) features.size();
    }

    /**
     * @param logits [B, K]
     * @param labels B labels
     * @return how many rows have their highest logit at the label (the first of equal maxima)
     */
    public static int countCorrect(Tensor logits, int[] labels) {
        int k = logits.cols();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int arg = 0;
            double max = logits.get(i, 0);
            for (int j = 1; j < k; j++) {
                double v = logits.get(i, j);
                if (v > max) {
                    max = v;
                    arg = j;
                }
            }
            if (arg == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
