package io.github.pointclip.onnx.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CLIP's byte-level BPE tokenizer, giving the same ids as openai/CLIP's {@code SimpleTokenizer}
 * and {@code clip.tokenize} (without ftfy, see the package documentation).
 *
 * <p>{@link #encode(String)} gives the BPE ids of a text; {@link #tokenize(String)} gives the model
 * input: start of text, the BPE ids, end of text, zeros up to the {@linkplain #contextLength()
 * context length}. A text with more tokens than fit is an error unless truncation is asked for,
 * which keeps the first {@code contextLength - 1} tokens and replaces the last of them by end of
 * text (openai/CLIP's {@code truncate=True}).
 *
 * <p>Instances are immutable and thread-safe; each keeps a bounded cache of the last
 * {@value #CACHE_WORDS} words it encoded, shared with its {@link #withContextLength(int)} copies.
 */
public final class ClipTokenizer {

    /** openai/CLIP's vocabulary file name. */
    public static final String BPE_VOCAB_FILE = "bpe_simple_vocab_16e6.txt.gz";
    /** SHA-256 of openai/CLIP's {@value #BPE_VOCAB_FILE}, for callers that check what they load. */
    public static final String BPE_VOCAB_SHA256 = "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a";
    /** The context length of every published CLIP model. */
    public static final int DEFAULT_CONTEXT_LENGTH = 77;
    /** Words kept in the BPE cache. */
    public static final int CACHE_WORDS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ClipTokenizer.class);

    private final Vocabulary vocabulary;
    private final WordCache cache;
    private final int contextLength;

    private ClipTokenizer(Vocabulary vocabulary, WordCache cache, int contextLength) {
        this.vocabulary = vocabulary;
        this.cache = cache;
        this.contextLength = contextLength;
    }

    private static ClipTokenizer create(Vocabulary vocabulary) {
        LOG.debug("CLIP tokenizer from {}: {} ids, {} merge rules", vocabulary.source(), vocabulary.size(),
            vocabulary.mergeCount());
        return new ClipTokenizer(vocabulary, new WordCache(CACHE_WORDS), DEFAULT_CONTEXT_LENGTH);
    }

    /**
     * Reads openai/CLIP's {@code bpe_simple_vocab_16e6.txt.gz}: a header line and one merge rule per
     * line, of which the first 48894 are used. Files with fewer rules (small test vocabularies)
     * are accepted; ids are assigned as openai/CLIP does.
     *
     * @param gz the gzip-compressed vocabulary
     * @return the tokenizer, context length 77
     * @throws VocabularyFormatException if the file is malformed (naming file and line)
     * @throws IOException if it cannot be read
     */
    public static ClipTokenizer fromBpeVocab(Path gz) throws IOException {
        return create(VocabularyReader.readBpeGz(gz));
    }

    /**
     * Reads Hugging Face's {@code vocab.json} (token to id) and {@code merges.txt} (an optional
     * {@code #version} line, then one rule {@code "a b"} per line, highest priority first).
     *
     * @param vocabJson the token-to-id map; it must hold the 512 byte symbols (with and without
     *     {@code </w>}), every merged token, {@code <|startoftext|>} and {@code <|endoftext|>}
     * @param mergesTxt the merge rules
     * @return the tokenizer, context length 77
     * @throws VocabularyFormatException if a file is malformed (naming file and line)
     * @throws IOException if a file cannot be read
     */
    public static ClipTokenizer fromHuggingFace(Path vocabJson, Path mergesTxt) throws IOException {
        return create(VocabularyReader.readHuggingFace(vocabJson, mergesTxt));
    }

    /**
     * Reads a Hugging Face {@code tokenizer.json} with a BPE model ({@code model.vocab},
     * {@code model.merges} as strings or pairs, {@code added_tokens}); its normaliser and
     * pre-tokeniser settings are ignored in favour of CLIP's.
     *
     * @param tokenizerJson the file
     * @return the tokenizer, context length 77
     * @throws VocabularyFormatException if the file is malformed
     * @throws IOException if it cannot be read
     */
    public static ClipTokenizer fromTokenizerJson(Path tokenizerJson) throws IOException {
        return create(VocabularyReader.readTokenizerJson(tokenizerJson));
    }

    /**
     * Reads the vocabulary found in a directory, trying in order {@value #BPE_VOCAB_FILE},
     * {@code vocab.json} with {@code merges.txt}, and {@code tokenizer.json}.
     *
     * @param directory a model or tokenizer directory
     * @return the tokenizer, context length 77
     * @throws NoSuchFileException if none of these files is there
     * @throws VocabularyFormatException if the file found is malformed
     * @throws IOException if it cannot be read
     */
    public static ClipTokenizer fromDirectory(Path directory) throws IOException {
        Path gz = directory.resolve(BPE_VOCAB_FILE);
        if (Files.isRegularFile(gz)) {
            return fromBpeVocab(gz);
        }
        Path vocabJson = directory.resolve("vocab.json");
        Path mergesTxt = directory.resolve("merges.txt");
        if (Files.isRegularFile(vocabJson) && Files.isRegularFile(mergesTxt)) {
            return fromHuggingFace(vocabJson, mergesTxt);
        }
        Path tokenizerJson = directory.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizerJson)) {
            return fromTokenizerJson(tokenizerJson);
        }
        throw new NoSuchFileException(directory.toString(), null, "no tokenizer vocabulary: expected "
            + BPE_VOCAB_FILE + ", vocab.json with merges.txt, or tokenizer.json");
    }

    /**
     * @param length the model's context length, at least 2 (start and end of text)
     * @return a tokenizer with the same vocabulary (and cache) padding to {@code length}
     */
    public ClipTokenizer withContextLength(int length) {
        if (length < 2) {
            throw new IllegalArgumentException("context length must be at least 2, got " + length);
        }
        return length == contextLength ? this : new ClipTokenizer(vocabulary, cache, length);
    }

    /** @return the number of ids in model input, 77 unless changed with {@link #withContextLength(int)} */
    public int contextLength() {
        return contextLength;
    }

    /** @return the number of token ids (49408 for CLIP), one more than the largest id */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** @return the id of {@code <|startoftext|>} (49406 for CLIP) */
    public int startOfTextId() {
        return vocabulary.startOfText();
    }

    /** @return the id of {@code <|endoftext|>} (49407 for CLIP) */
    public int endOfTextId() {
        return vocabulary.endOfText();
    }

    /**
     * The BPE ids of a text, without start and end of text and of any length. The text is HTML
     * unescaped (twice), whitespace-collapsed, trimmed and lower-cased first; the literal texts
     * {@code <|startoftext|>} and {@code <|endoftext|>} become the special ids, as in openai/CLIP.
     *
     * @param text any text
     * @return the ids, a new array
     * @throws TokenizerException if the text holds an unpaired surrogate
     */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        String normalized = TextNormalizer.normalize(text);
        IdBuffer ids = new IdBuffer(normalized.length() + 1);
        PreTokenizer.split(normalized, (source, start, end) -> ids.addAll(encodePiece(source.substring(start, end))));
        return ids.toArray();
    }

    private int[] encodePiece(String piece) {
        if (piece.equals(PreTokenizer.START_OF_TEXT)) {
            return new int[] {vocabulary.startOfText()};
        }
        if (piece.equals(PreTokenizer.END_OF_TEXT)) {
            return new int[] {vocabulary.endOfText()};
        }
        int[] ids = cache.get(piece);
        if (ids == null) {
            ids = vocabulary.encodeWord(piece.getBytes(StandardCharsets.UTF_8));
            cache.put(piece, ids);
        }
        return ids;
    }

    /**
     * Model input for one text, refusing texts that do not fit.
     *
     * @param text any text
     * @return {@link #contextLength()} ids: start of text, the BPE ids, end of text, zeros
     * @throws TokenizerException if the text needs more than {@link #contextLength()} tokens
     */
    public long[] tokenize(String text) {
        return tokenize(text, false);
    }

    /**
     * Model input for one text.
     *
     * @param text any text
     * @param truncate whether a text that does not fit is cut (keeping the first
     *     {@code contextLength - 1} tokens with the last of them replaced by end of text) rather
     *     than refused
     * @return {@link #contextLength()} ids: start of text, the BPE ids, end of text, zeros
     * @throws TokenizerException if the text does not fit and {@code truncate} is false
     */
    public long[] tokenize(String text, boolean truncate) {
        long[] out = new long[contextLength];
        tokenizeInto(text, truncate, out, 0);
        return out;
    }

    /**
     * Model input for a batch, row after row: shape {@code [texts.size(), contextLength()]}.
     *
     * @param texts the texts
     * @param truncate as for {@link #tokenize(String, boolean)}
     * @return {@code texts.size() * contextLength()} ids
     * @throws TokenizerException if a text does not fit and {@code truncate} is false
     */
    public long[] tokenize(List<String> texts, boolean truncate) {
        long[] out = new long[Math.multiplyExact(texts.size(), contextLength)];
        for (int row = 0; row < texts.size(); row++) {
            tokenizeInto(texts.get(row), truncate, out, row * contextLength);
        }
        return out;
    }

    /**
     * Writes one text's model input into an existing array.
     *
     * @param text any text
     * @param truncate as for {@link #tokenize(String, boolean)}
     * @param out receives {@link #contextLength()} ids from {@code offset} on (modified)
     * @param offset where the row starts in {@code out}
     * @throws TokenizerException if the text does not fit and {@code truncate} is false
     */
    public void tokenizeInto(String text, boolean truncate, long[] out, int offset) {
        Objects.checkFromIndexSize(offset, contextLength, out.length);
        int[] ids = encode(text);
        int total = ids.length + 2;
        if (total > contextLength && !truncate) {
            throw TokenizerException.tooLong(text, total, contextLength);
        }
        int kept = Math.min(ids.length, contextLength - 2);
        out[offset] = vocabulary.startOfText();
        for (int i = 0; i < kept; i++) {
            out[offset + 1 + i] = ids[i];
        }
        out[offset + 1 + kept] = vocabulary.endOfText();
        Arrays.fill(out, offset + 2 + kept, offset + contextLength, 0L);
    }

    /**
     * Turns ids back into text as openai/CLIP's {@code decode}: tokens concatenated, byte symbols
     * decoded as UTF-8 (malformed sequences become U+FFFD), every {@code </w>} a space. Special
     * tokens appear literally; padding zeros are ordinary ids and should be left out.
     *
     * @param ids token ids
     * @return the text
     * @throws IllegalArgumentException if an id is not in the vocabulary
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            String token = vocabulary.token(id);
            if (token == null) {
                throw new IllegalArgumentException("id " + id + " is not in the vocabulary of " + vocabSize());
            }
            for (int k = 0; k < token.length(); k++) {
                int b = ByteAlphabet.byteOf(token.charAt(k));
                if (b < 0) {
                    throw new IllegalArgumentException("token " + id + " (\"" + token
                        + "\") has a character outside the byte alphabet");
                }
                bytes.write(b);
            }
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8).replace(Vocabulary.END_OF_WORD, " ");
    }

    /** @return a short description naming the vocabulary source */
    @Override
    public String toString() {
        return "ClipTokenizer[" + vocabulary.source() + ", " + vocabSize() + " ids, context " + contextLength + "]";
    }

    /** A growable int array. */
    private static final class IdBuffer {
        private int[] ids;
        private int size;

        IdBuffer(int capacity) {
            ids = new int[Math.max(8, capacity)];
        }

        void addAll(int[] more) {
            if (size + more.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, ids, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }
}
