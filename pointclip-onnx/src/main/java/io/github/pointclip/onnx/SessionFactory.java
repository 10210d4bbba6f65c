package io.github.pointclip.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.github.pointclip.encoder.Device;
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

    /** The result: a session, its options (kept open for the session's life) and the device it runs on. */
    static final class Opened implements AutoCloseable {
        final OrtSession session;
        final OrtSession.SessionOptions options;
        final String device;

        Opened(OrtSession session, OrtSession.SessionOptions options, String device) {
            this.session = session;
            this.options = options;
            this.device = device;
        }

        /** Closes the session, then its options, in reverse order of creation. */
        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("closing ONNX Runtime session failed: {}", e.getMessage());
            } finally {
                options.close();
            }
        }
    }

    Opened open(Path model) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (device.kind() != Device.Kind.CPU) {
            int index = Math.max(device.index(), 0);
            String reason;
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                reason = "this ONNX Runtime build has no CUDA execution provider (use com.microsoft.onnxruntime:"
                    + "onnxruntime_gpu instead of onnxruntime)";
            } else {
                OrtSession.SessionOptions options = options();
                try {
                    options.addCUDA(index);
                    OrtSession session = env.createSession(model.toString(), options);
                    return new Opened(session, options, "cuda:" + index);
                } catch (OrtException | RuntimeException e) {
                    options.close();
                    reason = "the CUDA execution provider failed to start: " + e.getMessage();
                }
            }
            if (device.kind() == Device.Kind.CUDA) {
                throw new DeviceUnavailableException("cannot run on " + device + ": " + reason, null);
            }
            LOG.info("running {} on CPU: {}", model.getFileName(), reason);
        }
        OrtSession.SessionOptions options = options();
        try {
            return new Opened(env.createSession(model.toString(), options), options, "cpu");
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
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
