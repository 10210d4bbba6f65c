package io.github.pointclip.onnx.bundle;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a bundle ships the CLIP byte-level BPE vocabulary. */
public enum TokenizerFormat {
    /** OpenAI CLIP's {@code bpe_simple_vocab_16e6.txt.gz}: one gzipped merges file. */
    CLIP_BPE_GZ("clip-bpe-gz", 1),
    /** Hugging Face slow-tokenizer files: {@code vocab.json} then {@code merges.txt}. */
    VOCAB_MERGES("vocab-merges", 2),
    /** Hugging Face fast-tokenizer {@code tokenizer.json} (vocabulary and merges in one file). */
    TOKENIZER_JSON("tokenizer-json", 1);

    private final String label;
    private final int fileCount;

    TokenizerFormat(String label, int fileCount) {
        this.label = label;
        this.fileCount = fileCount;
    }

    /** @return the name used in {@code pointclip-model.json} */
    public String label() {
        return label;
    }

    /** @return how many files the format has */
    public int fileCount() {
        return fileCount;
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * @param label a name as in {@code pointclip-model.json}
     * @return the format
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static TokenizerFormat parse(String label) {
        for (TokenizerFormat f : values()) {
            if (f.label.equals(label)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown tokenizer format '" + label + "' (known: "
            + Arrays.stream(values()).map(TokenizerFormat::label).collect(Collectors.joining(", ")) + ")");
    }
}
