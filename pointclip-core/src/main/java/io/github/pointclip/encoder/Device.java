package io.github.pointclip.encoder;

import java.util.Objects;

/**
 * Where encoders run. {@link #AUTO} uses a CUDA GPU when the backend and a device are present
 * and otherwise falls back to the CPU with one log line saying why; an explicit
 * {@link #cuda(int)} fails instead of falling back. Immutable.
 */
public final class Device {

    /** The kind of device. */
    public enum Kind {
        /** GPU when available, else CPU. */
        AUTO,
        /** CPU only. */
        CPU,
        /** A CUDA GPU; no fallback. */
        CUDA
    }

    /** GPU when available, else CPU (the default). */
    public static final Device AUTO = new Device(Kind.AUTO, -1);
    /** CPU only. */
    public static final Device CPU = new Device(Kind.CPU, -1);

    private final Kind kind;
    private final int index;

    private Device(Kind kind, int index) {
        this.kind = kind;
        this.index = index;
    }

    /**
     * @param index CUDA device ordinal, ≥ 0
     * @return the CUDA device
     */
    public static Device cuda(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        }
        return new Device(Kind.CUDA, index);
    }

    /**
     * Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}.
     *
     * @param text the device
     * @return the device
     */
    public static Device parse(String text) {
        String s = Objects.requireNonNull(text, "text").trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) {
            return AUTO;
        }
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda") || s.equals("gpu")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown device '" + text + "'; use auto, cpu, cuda or cuda:N");
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the CUDA ordinal, or −1 for AUTO and CPU (AUTO uses ordinal 0) */
    public int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).kind == kind && ((Device) o).index == index;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + index;
    }

    @Override
    public String toString() {
        return kind == Kind.CUDA ? "cuda:" + index : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
