package io.github.pointclip.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The CLIP backbones PointCLIP was published with, with their embedding size and input size. */
public enum Backbone {
    /** ResNet-50, 1024-d features. */
    RN50("RN50", 1024, 224),
    /** ResNet-101, 512-d features. */
    RN101("RN101", 512, 224),
    /** ResNet-50×4, 640-d features, 288-pixel input. */
    RN50X4("RN50x4", 640, 288),
    /** ViT-B/32, 512-d features. */
    VIT_B32("ViT-B/32", 512, 224),
    /** ViT-B/16, 512-d features; the PointCLIP V2 default. */
    VIT_B16("ViT-B/16", 512, 224),
    /** ViT-L/14, 768-d features. */
    VIT_L14("ViT-L/14", 768, 224);

    private final String displayName;
    private final int embeddingDim;
    private final int imageSize;

    Backbone(String displayName, int embeddingDim, int imageSize) {
        this.displayName = displayName;
        this.embeddingDim = embeddingDim;
        this.imageSize = imageSize;
    }

    /** @return the name OpenAI's CLIP uses, e.g. {@code ViT-B/16} */
    public String displayName() {
        return displayName;
    }

    /** @return the dimension D of image and text features */
    public int embeddingDim() {
        return embeddingDim;
    }

    /** @return the square input size of the image encoder in pixels */
    public int imageSize() {
        return imageSize;
    }

    /**
     * Parses a backbone name leniently: {@code ViT-B/16}, {@code vit_b16}, {@code VIT_B16} and
     * {@code vit-b-16} all give {@link #VIT_B16}.
     *
     * @param name the name
     * @return the backbone
     * @throws IllegalArgumentException naming the known backbones if none matches
     */
    public static Backbone fromName(String name) {
        String key = normalise(name);
        for (Backbone b : values()) {
            if (normalise(b.displayName).equals(key) || normalise(b.name()).equals(key)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + name + "'; known: "
            + Arrays.stream(values()).map(Backbone::displayName).collect(Collectors.joining(", ")));
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    @Override
    public String toString() {
        return displayName;
    }
}
