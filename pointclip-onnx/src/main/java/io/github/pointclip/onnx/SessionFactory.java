package io.github.pointclip.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.github.pointclip.encoder.Device;
import io.github.pointclip.onnx.internal.CauseMessages;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ONNX Runtime sessions on the requested device: the CUDA execution provider when asked
 * for (or, with {@link Device#AUTO}, when the GPU build and a device are present), else the
 * CPU, with one log line saying why. Uses the process-wide {@link OrtEnvironment}, which it
 * never closes.
 */
final class SessionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

    private final Device device;
    private final int threads;

    SessionFactory(Device device, int threads) {
        this.device = device;
        this.threads = threads;
    }

    /**
     * The result: a session, its options (kept open for the session's life), the model file and the
     * device it runs on. Counts the calls in flight ({@link #enter}/{@link #exit}) so that
     * {@link #close()} never releases the native session while another thread is inside
     * {@code OrtSession.run}: closing waits for them, and calls entering afterwards are refused.
     */
    static final class Opened implements AutoCloseable {
        /** How long close waits before it logs that calls are still in flight. */
        private static final long WAIT_LOG_MILLIS = 10_000;

        final OrtSession session;
        final OrtSession.SessionOptions options;
        final Path model;
        final String device;
        /** Why a CUDA request runs on the CPU instead, or null. */
        final String fallbackReason;
        private final Object lock = new Object();
        private int inFlight;
        private boolean closing;
        private boolean released;

        Opened(OrtSession session, OrtSession.SessionOptions options, Path model, String device, String fallbackReason) {
            this.fallbackReason = fallbackReason;
            this.session = session;
            this.options = options;
            this.model = model;
            this.device = device;
        }

        /**
         * Marks a call in flight; every successful call must be paired with {@link #exit()} in a
         * {@code finally} block.
         *
         * @param what the encoder's name for the message, e.g. "image encoder"
         * @throws IllegalStateException when the session is closed or closing
         */
        void enter(String what) {
            synchronized (lock) {
                if (closing) {
                    throw new IllegalStateException(what + " is closed (" + model.getFileName() + ")");
                }
                inFlight++;
            }
        }

        /** Ends a call begun with {@link #enter}; wakes a waiting {@link #close()} after the last one. */
        void exit() {
            synchronized (lock) {
                if (--inFlight == 0 && closing) {
                    lock.notifyAll();
                }
            }
        }

        /**
         * Refuses new calls, waits for those in flight, then closes the session and its options in
         * reverse order of creation. Idempotent: later calls (also concurrent ones) return once the
         * session is released. An interrupt does not cut the wait short (the native session must
         * not be freed under a running call); it is kept for the caller.
         */
        @Override
        public void close() {
            boolean interrupted = false;
            synchronized (lock) {
                closing = true;
                long start = System.nanoTime();
                boolean logged = false;
                while (inFlight > 0) {
                    try {
                        lock.wait(WAIT_LOG_MILLIS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                    if (!logged && inFlight > 0 && System.nanoTime() - start > WAIT_LOG_MILLIS * 1_000_000L) {
                        LOG.warn("closing {} waits for {} call(s) still running on it", model.getFileName(), inFlight);
                        logged = true;
                    }
                }
                if (!released) {
                    released = true;
                    try {
                        session.close();
                    } catch (OrtException e) {
                        LOG.warn("closing the ONNX Runtime session of {} failed: {}", model.getFileName(),
                            CauseMessages.of(e));
                    } finally {
                        options.close();
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Opened open(Path model) throws OrtException {
        return open(model, null);
    }

    /**
     * Opens a session on a model held in memory (e.g. a head the library builds), on the same device
     * and with the same threads as the files.
     *
     * @param bytes the model
     * @param describedAs the path messages name it by
     */
    Opened open(byte[] bytes, Path describedAs) throws OrtException {
        return open(describedAs, bytes);
    }

    /** Opens {@code bytes} when given, else the file {@code model}. */
    private Opened open(Path model, byte[] bytes) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (device.kind() != Device.Kind.CPU) {
            int index = Math.max(device.index(), 0);
            String reason;
            Exception failure = null;
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                reason = "this ONNX Runtime build has no CUDA execution provider (use com.microsoft.onnxruntime:"
                    + "onnxruntime_gpu instead of onnxruntime)";
            } else {
                OrtSession.SessionOptions options = options();
                try {
                    options.addCUDA(index);
                    OrtSession session = create(env, model, bytes, options);
                    return new Opened(session, options, model, "cuda:" + index, null);
                } catch (OrtException | RuntimeException e) {
                    options.close();
                    failure = e;
                    reason = "the CUDA execution provider failed to start on " + model.getFileName() + ": "
                        + CauseMessages.of(e);
                }
            }
            if (device.kind() == Device.Kind.CUDA) {
                throw new DeviceUnavailableException("cannot run on " + device + ": " + reason, failure);
            }
            // the model reports the fallback once, for both sessions (OnnxClipModel's "loaded" line)
            LOG.debug("running {} on CPU: {}", model.getFileName(), reason);
            return openOnCpu(env, model, bytes, reason);
        }
        return openOnCpu(env, model, bytes, null);
    }

    private static OrtSession create(OrtEnvironment env, Path model, byte[] bytes, OrtSession.SessionOptions options)
            throws OrtException {
        return bytes != null ? env.createSession(bytes, options) : env.createSession(model.toString(), options);
    }

    private Opened openOnCpu(OrtEnvironment env, Path model, byte[] bytes, String fallbackReason) throws OrtException {
        OrtSession.SessionOptions options = options();
        try {
            return new Opened(create(env, model, bytes, options), options, model, "cpu", fallbackReason);
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // ONNX Runtime logs a failed run to stderr itself, with its C++ source locations; the
            // failure reaches the caller as an exception anyway, so its own log stays quiet unless
            // this class logs at debug level.
            options.setSessionLogLevel(LOG.isDebugEnabled() ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING
                : OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
