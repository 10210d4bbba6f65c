package io.github.pointclip.adapter.autograd;

import io.github.pointclip.adapter.Precision;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * A node of the autograd graph, in micrograd's shape at matrix level: a row-major value matrix, a gradient
 * matrix of the same shape, the parents it was computed from and a backward step that adds this node's
 * gradient, pushed through the operation's derivative, into the parents' gradients. {@link #backward()} sorts
 * the graph topologically and walks it in reverse.
 *
 * <p>Every tensor is two-dimensional ({@code rows × cols}); a batch of V view features of width C is a
 * {@code [B, V·C]} tensor, view-major, and a {@code [B·V, C]} tensor after {@link Ops#reshape}.
 * Tensors are not thread-safe: one training loop (or one inference thread) per set of parameters.
 */
public final class Tensor {
    private final int rows;
    private final int cols;
    final Storage value;
    private Storage grad;
    /** The gradient is zero but its buffer was not cleared yet (see {@link #zeroGrad()}). */
    private boolean gradCleared;
    private final boolean requiresGrad;
    private final Tensor[] parents;
    private Runnable backwardStep;

    Tensor(Storage value, int rows, int cols, boolean requiresGrad, Tensor[] parents) {
        this.value = value;
        this.rows = rows;
        this.cols = cols;
        this.requiresGrad = requiresGrad;
        this.parents = parents;
    }

    /**
     * A constant (no gradient) of zeros.
     *
     * @param precision storage precision
     * @param rows number of rows, ≥ 1
     * @param cols number of columns, ≥ 1
     * @return the new tensor
     */
    public static Tensor zeros(Precision precision, int rows, int cols) {
        return leaf(precision, rows, cols, false);
    }

    /**
     * A trainable leaf of zeros: it keeps its gradient across {@link #backward()} calls until
     * {@link #zeroGrad()}.
     *
     * @param precision storage precision
     * @param rows number of rows, ≥ 1
     * @param cols number of columns, ≥ 1
     * @return the new parameter
     */
    public static Tensor parameter(Precision precision, int rows, int cols) {
        return leaf(precision, rows, cols, true);
    }

    /**
     * A constant filled from row-major values.
     *
     * @param precision storage precision
     * @param rows number of rows
     * @param cols number of columns
     * @param values rows·cols values, row-major
     * @return the new tensor
     * @throws IllegalArgumentException if the number of values is not rows·cols
     */
    public static Tensor of(Precision precision, int rows, int cols, double... values) {
        Tensor t = zeros(precision, rows, cols);
        t.setAll(values);
        return t;
    }

    /**
     * A float constant copied from row-major values.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param values rows·cols values, row-major (copied)
     * @return the new tensor
     * @throws IllegalArgumentException if the number of values is not rows·cols
     */
    public static Tensor fromFloats(int rows, int cols, float[] values) {
        Tensor t = zeros(Precision.FLOAT, rows, cols);
        if (values.length != rows * cols) {
            throw new IllegalArgumentException("expected " + rows * cols + " values for [" + rows + ", " + cols
                    + "], got " + values.length);
        }
        System.arraycopy(values, 0, ((Storage.F32) t.value).data, 0, values.length);
        return t;
    }

    private static Tensor leaf(Precision precision, int rows, int cols, boolean requiresGrad) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("shape must be positive, got [" + rows + ", " + cols + "]");
        }
        return new Tensor(Storage.allocate(precision, rows, cols), rows, cols, requiresGrad, new Tensor[0]);
    }

    /** Creates an operation's output; it records parents only when recording is on and a parent needs it. */
    static Tensor result(int rows, int cols, Tensor... inputs) {
        Precision precision = inputs[0].precision();
        boolean needs = false;
        for (Tensor in : inputs) {
            if (in.precision() != precision) {
                throw new IllegalArgumentException("mixed precisions: " + precision + " and " + in.precision());
            }
            needs |= in.requiresGrad;
        }
        needs &= GradMode.isEnabled();
        return new Tensor(Storage.allocate(precision, rows, cols), rows, cols, needs,
                needs ? inputs.clone() : new Tensor[0]);
    }

    void onBackward(Runnable step) {
        if (requiresGrad) {
            this.backwardStep = step;
        }
    }

    /** The gradient storage, allocated (zero) on first use. */
    Storage gradStorage() {
        if (grad == null) {
            grad = Storage.allocate(precision(), rows, cols);
        } else if (gradCleared) {
            grad.fill(0);
        }
        gradCleared = false;
        return grad;
    }

    /**
     * The gradient storage for an operation about to add a product into it, and whether it may overwrite
     * instead (the gradient is zero): saves clearing a weight-sized buffer and reading it back.
     *
     * @return true if the caller must overwrite the storage returned by {@link #gradStorage()} rather than add
     */
    boolean gradIsZero() {
        return grad == null || gradCleared;
    }

    /** {@link #gradStorage()} without clearing a lazily zeroed buffer: the caller overwrites all of it. */
    Storage gradStorageForOverwrite() {
        if (grad == null) {
            grad = Storage.allocate(precision(), rows, cols);
        }
        gradCleared = false;
        return grad;
    }

    /**
     * Back-propagates from this scalar: its gradient is set to 1 and every node that requires a gradient
     * receives d(this)/d(node), added to what it already holds.
     *
     * @throws IllegalStateException if this is not a 1×1 tensor that requires a gradient
     */
    public void backward() {
        if (rows != 1 || cols != 1) {
            throw new IllegalStateException("backward() needs a scalar, this is [" + rows + ", " + cols + "]");
        }
        if (!requiresGrad) {
            throw new IllegalStateException("this tensor does not depend on any parameter (or was computed in no-grad mode)");
        }
        List<Tensor> order = topologicalOrder();
        gradStorage().add(0, 1.0);
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor node = order.get(i);
            if (node.backwardStep != null && node.grad != null && !node.gradCleared) {
                node.backwardStep.run();
            }
        }
    }

    /** Post-order depth-first walk, iterative so that long graphs cannot overflow the stack. */
    private List<Tensor> topologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> nextParent = new ArrayDeque<>();
        stack.push(this);
        nextParent.push(0);
        visited.add(this);
        while (!stack.isEmpty()) {
            Tensor node = stack.peek();
            int p = nextParent.pop();
            if (p < node.parents.length) {
                nextParent.push(p + 1);
                Tensor parent = node.parents[p];
                if (parent.requiresGrad && visited.add(parent)) {
                    stack.push(parent);
                    nextParent.push(0);
                }
            } else {
                stack.pop();
                order.add(node);
            }
        }
        return order;
    }

    /** Sets this tensor's gradient to zero (keeps the buffer). */
    public void zeroGrad() {
        if (grad != null) {
            // cleared on next use, or overwritten by the next product (see gradIsZero)
            gradCleared = true;
        }
    }

    /** @return number of rows */
    public int rows() {
        return rows;
    }

    /** @return number of columns */
    public int cols() {
        return cols;
    }

    /** @return rows·cols */
    public int size() {
        return rows * cols;
    }

    /** @return the storage precision */
    public Precision precision() {
        return value.precision();
    }

    /** @return whether gradients flow to this tensor */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * @param row row index
     * @param col column index
     * @return the value at (row, col)
     */
    public double get(int row, int col) {
        return value.get(index(row, col));
    }

    /**
     * @param index row-major index
     * @return the value at that index
     */
    public double get(int index) {
        return value.get(index);
    }

    /**
     * Overwrites one value (for inputs and parameters; a graph already built from this tensor is not updated).
     *
     * @param index row-major index
     * @param v new value (rounded to float for float tensors)
     */
    public void set(int index, double v) {
        value.set(index, v);
    }

    /**
     * Overwrites all values.
     *
     * @param values rows·cols values, row-major
     * @throws IllegalArgumentException on a count mismatch
     */
    public void setAll(double... values) {
        if (values.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " values for [" + rows + ", " + cols
                    + "], got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            value.set(i, values[i]);
        }
    }

    /**
     * A constant (no gradient, no graph) with the same precision, shape and values.
     *
     * @return the copy
     */
    public Tensor copy() {
        Tensor t = zeros(precision(), rows, cols);
        t.value.copyFrom(value);
        return t;
    }

    /**
     * Copies all values from another tensor of the same shape (precisions may differ).
     *
     * @param other source
     */
    public void copyFrom(Tensor other) {
        requireSameShape(other);
        if (other.precision() == precision()) {
            value.copyFrom(other.value);
        } else {
            for (int i = 0; i < size(); i++) {
                value.set(i, other.value.get(i));
            }
        }
    }

    /**
     * @param index row-major index
     * @return the gradient at that index (0 before any backward pass)
     */
    public double grad(int index) {
        return grad == null || gradCleared ? 0.0 : grad.get(index);
    }

    /** @return a copy of the values as floats, row-major */
    public float[] toFloatArray() {
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) value.get(i);
        }
        return out;
    }

    /** @return a copy of the values as doubles, row-major */
    public double[] toDoubleArray() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value.get(i);
        }
        return out;
    }

    /** @return a copy of the gradient as doubles (zeros before any backward pass) */
    public double[] gradToDoubleArray() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length && grad != null && !gradCleared; i++) {
            out[i] = grad.get(i);
        }
        return out;
    }

    /**
     * The live EJML value matrix of a float tensor; writes to it change this tensor.
     *
     * @return the value matrix
     * @throws IllegalStateException for a double tensor
     */
    public FMatrixRMaj floatMatrix() {
        if (value instanceof Storage.F32 f) {
            return f.matrix;
        }
        throw new IllegalStateException("not a float tensor");
    }

    /**
     * The live EJML value matrix of a double tensor; writes to it change this tensor.
     *
     * @return the value matrix
     * @throws IllegalStateException for a float tensor
     */
    public DMatrixRMaj doubleMatrix() {
        if (value instanceof Storage.F64 d) {
            return d.matrix;
        }
        throw new IllegalStateException("not a double tensor");
    }

    /**
     * The live EJML gradient matrix of a float tensor (allocated, zero, on first use), for optimisers.
     *
     * @return the gradient matrix
     * @throws IllegalStateException for a double tensor
     */
    public FMatrixRMaj floatGradMatrix() {
        if (gradStorage() instanceof Storage.F32 f) {
            return f.matrix;
        }
        throw new IllegalStateException("not a float tensor");
    }

    /**
     * The live EJML gradient matrix of a double tensor (allocated, zero, on first use), for optimisers.
     *
     * @return the gradient matrix
     * @throws IllegalStateException for a float tensor
     */
    public DMatrixRMaj doubleGradMatrix() {
        if (gradStorage() instanceof Storage.F64 d) {
            return d.matrix;
        }
        throw new IllegalStateException("not a double tensor");
    }

    /**
     * @return the gradient storage (cleared first if {@link #zeroGrad()} deferred it), or null if none was
     *     allocated yet
     */
    Storage gradOrNull() {
        return gradCleared ? gradStorage() : grad;
    }

    void requireSameShape(Tensor other) {
        if (other.rows != rows || other.cols != cols) {
            throw new IllegalArgumentException("shape mismatch: [" + rows + ", " + cols + "] vs ["
                    + other.rows + ", " + other.cols + "]");
        }
    }

    private int index(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= cols) {
            throw new IndexOutOfBoundsException("(" + row + ", " + col + ") outside [" + rows + ", " + cols + "]");
        }
        return row * cols + col;
    }

    @Override
    public String toString() {
        return "Tensor[" + rows + ", " + cols + ", " + precision() + (requiresGrad ? ", grad" : "") + "]";
    }
}
