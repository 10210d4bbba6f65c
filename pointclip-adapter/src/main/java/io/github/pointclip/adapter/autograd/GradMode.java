package io.github.pointclip.adapter.autograd;

/**
 * Per-thread switch for graph recording, like PyTorch's {@code no_grad}. Inside a {@link #disable()} scope,
 * operations compute values only: no parents, no backward steps, no gradient buffers.
 *
 * <pre>{@code
 * try (GradMode.Scope ignored = GradMode.disable()) {
 *     Tensor logits = adapter.logits(features, text, false);
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {
    }

    /**
     * Whether operations on this thread record a graph.
     *
     * @return true outside any {@link #disable()} scope
     */
    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /**
     * Stops recording on this thread until the returned scope is closed; scopes nest.
     *
     * @return the scope to close
     */
    public static Scope disable() {
        DISABLED_DEPTH.get()[0]++;
        return new Scope();
    }

    /** A no-grad scope; {@link #close()} is idempotent. */
    public static final class Scope implements AutoCloseable {
        private boolean closed;

        private Scope() {
        }

        /** Re-enables recording if this is the outermost open scope. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                DISABLED_DEPTH.get()[0]--;
            }
        }
    }
}
