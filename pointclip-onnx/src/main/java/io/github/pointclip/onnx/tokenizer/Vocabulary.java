package io.github.pointclip.onnx.tokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated CLIP BPE vocabulary: the token of every id, the ids of the 512 byte symbols (with
 * and without {@code </w>}), the merge rules and the two special tokens. Immutable.
 */
final class Vocabulary {

    static final String END_OF_WORD = "</w>";

    /** One merge rule as read from a file, with where it was read for error messages. */
    static final class Merge {
        final String first;
        final String second;
        final long line;
        final String where;

        /**
         * @param first left token
         * @param second right token
         * @param line 1-based line in the file, or −1
         * @param where how to name the rule in a message, e.g. "merge 12"
         */
        Merge(String first, String second, long line, String where) {
            this.first = first;
            this.second = second;
            this.line = line;
            this.where = where;
        }
    }

    private final String[] tokens;
    private final int[] byteIds = new int[256];
    private final int[] byteEndIds = new int[256];
    private final MergeTable merges;
    private final int startOfText;
    private final int endOfText;
    private final String source;

    private Vocabulary(String[] tokens, MergeTable merges, int startOfText, int endOfText, String source) {
        this.tokens = tokens;
        this.merges = merges;
        this.startOfText = startOfText;
        this.endOfText = endOfText;
        this.source = source;
    }

    /**
     * Checks and assembles a vocabulary. Besides every token a merge names or makes, the byte
     * symbols and the special tokens being there, the vocabulary must be exactly what CLIP's BPE
     * makes of its merge rules: the 512 byte symbols (with and without {@code </w>}), one token per
     * merge rule and the special tokens, every id from 0 to {@code size - 1} used once (49408 =
     * 512 + 48894 + 2 for CLIP). A merge file cut short, or a vocabulary and merge file of different
     * tokenizers, fails here instead of tokenizing differently.
     *
     * @param file the file it came from, for messages
     * @param ids id of every token (each id used once)
     * @param size number of ids, greater than every id
     * @param mergeRules the merge rules in rank order
     * @param specials the tokens that no merge makes and that are not byte symbols but belong to the
     *     vocabulary: start and end of text, and a {@code tokenizer.json}'s added tokens
     * @param tokensFrom how to name where the tokens came from, e.g. "vocab.json"
     * @param rulesFrom how to name where the merge rules came from, e.g. "merges.txt"
     * @return the vocabulary
     * @throws VocabularyFormatException if a byte symbol, a special token or a token named by a merge
     *     is missing, or the tokens are not what the merge rules make
     */
    static Vocabulary build(Path file, Map<String, Integer> ids, int size, List<Merge> mergeRules,
                            Set<String> specials, String tokensFrom, String rulesFrom)
        throws VocabularyFormatException {
        String[] tokens = new String[size];
        for (Map.Entry<String, Integer> entry : ids.entrySet()) {
            tokens[entry.getValue()] = entry.getKey();
        }
        int[] firsts = new int[mergeRules.size()];
        int[] seconds = new int[mergeRules.size()];
        int[] merged = new int[mergeRules.size()];
        for (int rank = 0; rank < mergeRules.size(); rank++) {
            Merge rule = mergeRules.get(rank);
            firsts[rank] = requireMergeToken(file, ids, rule, rule.first);
            seconds[rank] = requireMergeToken(file, ids, rule, rule.second);
            merged[rank] = requireMergeToken(file, ids, rule, rule.first + rule.second);
        }
        Vocabulary vocabulary = new Vocabulary(tokens, new MergeTable(firsts, seconds, merged),
            requireToken(file, ids, PreTokenizer.START_OF_TEXT, "the start-of-text token"),
            requireToken(file, ids, PreTokenizer.END_OF_TEXT, "the end-of-text token"), file.toString());
        for (int b = 0; b < 256; b++) {
            String symbol = ByteAlphabet.symbol(b);
            String name = String.format("the symbol of byte 0x%02x", b);
            vocabulary.byteIds[b] = requireToken(file, ids, symbol, name);
            vocabulary.byteEndIds[b] = requireToken(file, ids, symbol + END_OF_WORD, name + " with " + END_OF_WORD);
        }
        checkAccounting(file, ids, tokens, mergeRules, specials, tokensFrom, rulesFrom);
        return vocabulary;
    }

    /** Every token is a byte symbol, a merge's result or a special token, and every id is used once. */
    private static void checkAccounting(Path file, Map<String, Integer> ids, String[] tokens, List<Merge> rules,
                                        Set<String> specials, String tokensFrom, String rulesFrom)
        throws VocabularyFormatException {
        Set<String> made = new HashSet<>((512 + rules.size()) * 2);
        for (int b = 0; b < 256; b++) {
            made.add(ByteAlphabet.symbol(b));
            made.add(ByteAlphabet.symbol(b) + END_OF_WORD);
        }
        int bytes = made.size();
        for (Merge rule : rules) {
            made.add(rule.first + rule.second);
        }
        int merged = made.size() - bytes;
        int specialCount = 0;
        int unexplained = 0;
        int firstUnexplained = -1;
        for (int id = 0; id < tokens.length; id++) {
            String token = tokens[id];
            if (token == null || made.contains(token)) {
                continue;
            }
            if (specials.contains(token)) {
                specialCount++;
            } else if (unexplained++ == 0) {
                firstUnexplained = id;
            }
        }
        String sum = bytes + " byte symbols + " + rules.size() + " merge rules + " + specialCount
            + " special tokens = " + (bytes + rules.size() + specialCount);
        if (unexplained > 0) {
            throw VocabularyFormatException.of(file, tokensFrom + " has " + ids.size() + " tokens but " + rulesFrom
                + " accounts for " + sum + ": " + unexplained + " tokens, from \"" + tokens[firstUnexplained]
                + "\" (id " + firstUnexplained + "), are made by no merge rule (" + rulesFrom
                + " is cut short or belongs to another tokenizer)", null);
        }
        if (merged != rules.size()) {
            throw VocabularyFormatException.of(file, rulesFrom + " has " + rules.size() + " merge rules but they make only "
                + merged + " distinct tokens; CLIP's vocabulary has one token per rule", null);
        }
        if (ids.size() != tokens.length) {
            int unused = 0;
            while (tokens[unused] != null) {
                unused++;
            }
            throw VocabularyFormatException.of(file, tokensFrom + " uses ids up to " + (tokens.length - 1) + " but has only "
                + ids.size() + " tokens (" + sum + "); id " + unused + " is unused", null);
        }
    }

    private static int requireToken(Path file, Map<String, Integer> ids, String token, String what)
        throws VocabularyFormatException {
        Integer id = ids.get(token);
        if (id == null) {
            throw VocabularyFormatException.of(file, "the vocabulary lacks " + what + " \"" + token + "\"", null);
        }
        return id;
    }

    private static int requireMergeToken(Path file, Map<String, Integer> ids, Merge rule, String token)
        throws VocabularyFormatException {
        Integer id = ids.get(token);
        if (id == null) {
            String reason = rule.where + " (\"" + rule.first + " " + rule.second + "\") needs the token \"" + token
                + "\", which is not in the vocabulary";
            throw rule.line >= 0 ? VocabularyFormatException.atLine(file, rule.line, reason)
                : VocabularyFormatException.of(file, reason, null);
        }
        return id;
    }

    /** @return the number of ids */
    int size() {
        return tokens.length;
    }

    /** @return the number of merge rules */
    int mergeCount() {
        return merges.size();
    }

    /** @return the id of {@code <|startoftext|>} */
    int startOfText() {
        return startOfText;
    }

    /** @return the id of {@code <|endoftext|>} */
    int endOfText() {
        return endOfText;
    }

    /** @return where the vocabulary was read from */
    String source() {
        return source;
    }

    /**
     * @param id a token id
     * @return its token string, or null if the id is unused or out of range
     */
    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    /**
     * Encodes one pre-token: its UTF-8 bytes become byte symbols, the last one marked with
     * {@code </w>}, then the lowest-ranked adjacent pair is merged (all its occurrences, left to
     * right) until no pair has a rule.
     *
     * @param utf8 the pre-token's UTF-8 bytes, at least one
     * @return the token ids
     */
    int[] encodeWord(byte[] utf8) {
        int n = utf8.length;
        int[] symbols = new int[n];
        for (int i = 0; i < n - 1; i++) {
            symbols[i] = byteIds[utf8[i] & 0xff];
        }
        symbols[n - 1] = byteEndIds[utf8[n - 1] & 0xff];
        while (n > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i < n - 1; i++) {
                int slot = merges.find(symbols[i], symbols[i + 1]);
                if (slot >= 0 && merges.rank(slot) < bestRank) {
                    bestRank = merges.rank(slot);
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            int first = symbols[best];
            int second = symbols[best + 1];
            int merged = merges.mergedId(merges.find(first, second));
            int written = 0;
            for (int i = 0; i < n; i++) {
                if (i < n - 1 && symbols[i] == first && symbols[i + 1] == second) {
                    symbols[written++] = merged;
                    i++;
                } else {
                    symbols[written++] = symbols[i];
                }
            }
            n = written;
        }
        return n == symbols.length ? symbols : Arrays.copyOf(symbols, n);
    }
}
