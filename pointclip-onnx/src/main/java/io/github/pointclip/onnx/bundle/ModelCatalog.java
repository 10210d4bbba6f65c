package io.github.pointclip.onnx.bundle;

import io.github.pointclip.encoder.Backbone;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The built-in catalogue of public CLIP ONNX exports that {@link ModelResolver} downloads on first use:
 * Hugging Face repositories in the transformers.js layout ({@code onnx/vision_model*.onnx},
 * {@code onnx/text_model*.onnx}, {@code config.json}, {@code vocab.json}, {@code merges.txt}). Which dtypes
 * were confirmed for each repository, and how, is written down in {@code docs/models.md}; other transformers.js
 * dtypes may still be asked for (the hub answers 404 when the export lacks them). Immutable.
 */
public final class ModelCatalog {

    /** The small files every entry downloads besides the two encoders. */
    static final List<String> SUPPORT_FILES = List.of("config.json", "vocab.json", "merges.txt");

    /**
     * One catalogue model.
     *
     * @param name the model name, e.g. {@code ViT-B/16}; also the cache entry's name ({@code ViT-B-16})
     * @param backbone the CLIP backbone
     * @param repository the Hugging Face repository, e.g. {@code Xenova/clip-vit-base-patch16}
     * @param revision the branch, tag or commit to download
     * @param dtypes the dtypes confirmed for this repository, the default first
     * @param sha256 pinned SHA-256 digests by file path (e.g. {@code onnx/vision_model.onnx}); files without one are
     *     checked against the digest the hub reports and recorded on first download
     */
    public record Entry(String name, Backbone backbone, String repository, String revision, List<ModelVariant> dtypes,
                        Map<String, String> sha256) {

        /** Copies the collections. */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(revision, "revision");
            dtypes = List.copyOf(dtypes);
            sha256 = Map.copyOf(sha256);
        }

        /**
         * @param dtype the variant
         * @return the files of that variant, in download order: the two encoders, then config and tokenizer files
         */
        public List<String> files(ModelVariant dtype) {
            return List.of("onnx/vision_model" + dtype.suffix() + ".onnx", "onnx/text_model" + dtype.suffix() + ".onnx",
                SUPPORT_FILES.get(0), SUPPORT_FILES.get(1), SUPPORT_FILES.get(2));
        }

        /**
         * @param dtype the variant
         * @return the cache entry's directory name: {@code ViT-B-16} for fp32, {@code ViT-B-16-fp16} and so on
         */
        public String directoryName(ModelVariant dtype) {
            return ModelResolver.directoryName(name, dtype);
        }
    }

    private static final List<Entry> ENTRIES = List.of(
        new Entry("ViT-B/32", Backbone.VIT_B32, "Xenova/clip-vit-base-patch32", "main",
            List.of(ModelVariant.DEFAULT, ModelVariant.FP16, ModelVariant.QUANTIZED, ModelVariant.INT8, ModelVariant.UINT8),
            Map.of()),
        new Entry("ViT-B/16", Backbone.VIT_B16, "Xenova/clip-vit-base-patch16", "main",
            List.of(ModelVariant.DEFAULT, ModelVariant.QUANTIZED), Map.of()));

    private ModelCatalog() {
    }

    /** @return every catalogue model */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /**
     * @param name a model or backbone name, leniently: {@code ViT-B/16}, {@code VIT_B16}, {@code vit-b-16}
     * @return the entry, or empty when the catalogue has none of that name
     */
    public static Optional<Entry> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = normalise(name);
        return ENTRIES.stream().filter(e -> normalise(e.name()).equals(key) || normalise(e.backbone().name()).equals(key))
            .findFirst();
    }

    /**
     * @param name a model or backbone name
     * @return the entry
     * @throws IllegalArgumentException naming the catalogue's models when none matches
     */
    public static Entry require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not in the model catalogue; "
            + "known: " + names() + " (for another model, pass its directory with --model or .model(Path); see docs/models.md)"));
    }

    /** @return the catalogue's model names, comma-separated */
    public static String names() {
        return ENTRIES.stream().map(Entry::name).collect(Collectors.joining(", "));
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
