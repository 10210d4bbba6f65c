package io.github.pointclip.onnx;

/**
 * An explicitly requested device (e.g. {@code cuda:0}) cannot be used: the GPU build of ONNX
 * Runtime is not on the class path, or CUDA or the device is missing. With
 * {@link io.github.pointclip.encoder.Device#AUTO} the library falls back to the CPU instead.
 */
public class DeviceUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is missing
     * @param cause the ONNX Runtime error, or null
     */
    public DeviceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
