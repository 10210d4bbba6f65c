package io.github.pointclip.testing;

import io.github.pointclip.encoder.ImageEncoder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pure-Java stand-in for CLIP's image encoder with an easily computed answer: feature q of an
 * image is the sum of its first channel over quadrant q (row-major quadrants of a size × size image),
 * divided by 9. Counts runs and images, and can be slowed down to test overlap with other work.
 */
public final class QuadrantImageEncoder implements ImageEncoder {

    private final int dim;
    private final int size;
    /** Images encoded so far. */
    public final AtomicInteger images = new AtomicInteger();
    /** Calls of {@link #encode} so far. */
    public final AtomicInteger runs = new AtomicInteger();
    /** Milliseconds each call sleeps, 0 for none. */
    public volatile long delayMillis;

    /**
     * @param dim feature dimension, at least 4
     * @param size image height and width
     */
    public QuadrantImageEncoder(int dim, int size) {
        if (dim < 4) {
            throw new IllegalArgumentException("dim must be at least 4 (one feature per quadrant), got " + dim);
        }
        this.dim = dim;
        this.size = size;
    }

    @Override
    public int embeddingDim() {
        return dim;
    }

    @Override
    public int imageSize() {
        return size;
    }

    @Override
    public float[] encode(float[] pixels, int count) {
        images.addAndGet(count);
        runs.incrementAndGet();
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        float[] out = new float[count * dim];
        int per = 3 * size * size;
        for (int n = 0; n < count; n++) {
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    int q = (r < size / 2 ? 0 : 2) + (c < size / 2 ? 0 : 1);
                    out[n * dim + q] += pixels[n * per + r * size + c] / 9f;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
    }
}
