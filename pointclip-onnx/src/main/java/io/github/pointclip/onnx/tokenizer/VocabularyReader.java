package io.github.pointclip.onnx.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.onnx.internal.CauseMessages;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the three vocabulary formats into a {@link Vocabulary}. */
final class VocabularyReader {

    /**
     * Merge rules openai/CLIP takes from {@code bpe_simple_vocab_16e6.txt.gz}: 49152 tokens minus 256
     * byte symbols minus the 2 special tokens; the file holds many more, which are ignored.
     */
    static final int CLIP_MERGE_COUNT = 49152 - 256 - 2;

    /** The special tokens of CLIP's vocabulary. */
    private static final Set<String> SPECIALS = Set.of(PreTokenizer.START_OF_TEXT, PreTokenizer.END_OF_TEXT);
    private static final Logger LOG = LoggerFactory.getLogger(VocabularyReader.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private VocabularyReader() {
    }

    /**
     * openai/CLIP's format: gzip-compressed UTF-8 text, a header line, then one merge rule per line
     * ({@code "a b"}). Ids: the 256 byte symbols, the same with {@code </w>}, one per merge (the
     * merged token), then start and end of text. Files with fewer than 48894 rules are accepted
     * (small vocabularies); rules after the 48894th are ignored, as in openai/CLIP.
     */
    static Vocabulary readBpeGz(Path file) throws IOException {
        List<Vocabulary.Merge> merges = new ArrayList<>();
        try (Utf8Lines lines = new Utf8Lines(file, new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
            if (lines.next() == null) {
                throw VocabularyFormatException.atLine(file, 1, "empty file, expected a header line");
            }
            String line;
            while (merges.size() < CLIP_MERGE_COUNT && (line = lines.next()) != null) {
                merges.add(parseMergeLine(file, lines.number(), line, "merge " + merges.size()));
            }
        } catch (ZipException | EOFException e) {
            throw VocabularyFormatException.of(file, "not a complete gzip file (" + e.getMessage() + ")", e);
        }
        List<String> tokens = new ArrayList<>(512 + merges.size() + 2);
        for (int b : ByteAlphabet.ORDER) {
            tokens.add(ByteAlphabet.symbol(b));
        }
        for (int b : ByteAlphabet.ORDER) {
            tokens.add(ByteAlphabet.symbol(b) + Vocabulary.END_OF_WORD);
        }
        for (Vocabulary.Merge merge : merges) {
            tokens.add(merge.first + merge.second);
        }
        tokens.add(PreTokenizer.START_OF_TEXT);
        tokens.add(PreTokenizer.END_OF_TEXT);
        Map<String, Integer> ids = new HashMap<>(tokens.size() * 2);
        for (int id = 0; id < tokens.size(); id++) {
            ids.put(tokens.get(id), id); // a repeated token keeps its last id, as Python's dict does
        }
        if (merges.size() < CLIP_MERGE_COUNT) {
            LOG.warn("{} holds {} merge rules, openai/CLIP's vocabulary file holds more than {}: unless this is a "
                + "small custom vocabulary, the file is cut short", file, merges.size(), CLIP_MERGE_COUNT);
        }
        return Vocabulary.build(file, ids, tokens.size(), merges, SPECIALS, file.getFileName().toString(),
            file.getFileName().toString());
    }

    /** Hugging Face's {@code vocab.json} (token to id) and {@code merges.txt} (one rule per line). */
    static Vocabulary readHuggingFace(Path vocabJson, Path mergesTxt) throws IOException {
        Map<String, Integer> ids = readVocabJson(vocabJson);
        List<Vocabulary.Merge> merges = new ArrayList<>();
        try (Utf8Lines lines = new Utf8Lines(mergesTxt, Files.newInputStream(mergesTxt))) {
            String line;
            while ((line = lines.next()) != null) {
                if (lines.number() == 1 && line.startsWith("#version") || line.isEmpty()) {
                    continue;
                }
                merges.add(parseMergeLine(mergesTxt, lines.number(), line, "merge " + merges.size()));
            }
        }
        return Vocabulary.build(mergesTxt, ids, sizeOf(ids), merges, SPECIALS, vocabJson.getFileName().toString(),
            mergesTxt.getFileName().toString());
    }

    /**
     * Hugging Face's {@code tokenizer.json}: {@code model.vocab}, {@code model.merges} (as
     * {@code "a b"} strings or {@code ["a", "b"]} pairs) and {@code added_tokens}.
     */
    static Vocabulary readTokenizerJson(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw jsonError(file, e);
        }
        JsonNode model = root == null ? null : root.get("model");
        if (model == null || !model.isObject()) {
            throw VocabularyFormatException.of(file, "no \"model\" object", null);
        }
        JsonNode type = model.get("type");
        if (type != null && !"BPE".equals(type.asText())) {
            throw VocabularyFormatException.of(file, "model.type is \"" + type.asText() + "\", expected \"BPE\"", null);
        }
        JsonNode suffix = model.get("end_of_word_suffix");
        if (suffix != null && !suffix.isNull() && !Vocabulary.END_OF_WORD.equals(suffix.asText())) {
            throw VocabularyFormatException.of(file, "model.end_of_word_suffix is \"" + suffix.asText()
                + "\", CLIP uses \"" + Vocabulary.END_OF_WORD + "\"", null);
        }
        JsonNode vocab = model.get("vocab");
        if (vocab == null || !vocab.isObject()) {
            throw VocabularyFormatException.of(file, "no model.vocab object", null);
        }
        Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
        Map<Integer, String> tokenOfId = new HashMap<>(vocab.size() * 2);
        for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
            String where = "model.vocab[\"" + entry.getKey() + "\"]";
            if (!entry.getValue().canConvertToInt() || !entry.getValue().isIntegralNumber()) {
                throw VocabularyFormatException.of(file, where + " is not an integer id", null);
            }
            addToken(file, -1, where, entry.getKey(), entry.getValue().intValue(), ids, tokenOfId);
        }
        Set<String> specials = new HashSet<>(SPECIALS);
        JsonNode added = root.get("added_tokens");
        if (added != null && added.isArray()) {
            for (int k = 0; k < added.size(); k++) {
                JsonNode token = added.get(k);
                String content = token.path("content").asText(null);
                JsonNode id = token.get("id");
                if (content == null || id == null || !id.canConvertToInt() || !id.isIntegralNumber()) {
                    throw VocabularyFormatException.of(file, "added_tokens[" + k + "] needs \"content\" and an"
                        + " integer \"id\"", null);
                }
                specials.add(content);
                Integer known = ids.get(content);
                if (known == null) {
                    addToken(file, -1, "added_tokens[" + k + "]", content, id.intValue(), ids, tokenOfId);
                } else if (known != id.intValue()) {
                    throw VocabularyFormatException.of(file, "added_tokens[" + k + "] gives \"" + content + "\" id "
                        + id.intValue() + ", model.vocab gives it " + known, null);
                }
            }
        }
        JsonNode mergeNodes = model.get("merges");
        if (mergeNodes == null || !mergeNodes.isArray()) {
            throw VocabularyFormatException.of(file, "no model.merges array", null);
        }
        List<Vocabulary.Merge> merges = new ArrayList<>(mergeNodes.size());
        for (int k = 0; k < mergeNodes.size(); k++) {
            JsonNode node = mergeNodes.get(k);
            String where = "model.merges[" + k + "]";
            if (node.isTextual()) {
                String[] parts = node.asText().split(" ", -1);
                if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                    throw VocabularyFormatException.of(file, where + " is \"" + node.asText()
                        + "\", expected two tokens separated by one space", null);
                }
                merges.add(new Vocabulary.Merge(parts[0], parts[1], -1, where));
            } else if (node.isArray() && node.size() == 2 && node.get(0).isTextual() && node.get(1).isTextual()) {
                merges.add(new Vocabulary.Merge(node.get(0).asText(), node.get(1).asText(), -1, where));
            } else {
                throw VocabularyFormatException.of(file, where + " is neither \"a b\" nor [\"a\", \"b\"]", null);
            }
        }
        return Vocabulary.build(file, ids, sizeOf(ids), merges, specials, "model.vocab with added_tokens",
            "model.merges");
    }

    private static Map<String, Integer> readVocabJson(Path file) throws IOException {
        Map<String, Integer> ids = new HashMap<>(1 << 17);
        Map<Integer, String> tokenOfId = new HashMap<>(1 << 17);
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw VocabularyFormatException.atLine(file, line(parser.currentTokenLocation()),
                    "expected a JSON object mapping tokens to ids");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String token = parser.currentName();
                JsonToken value = parser.nextToken();
                long line = line(parser.currentTokenLocation());
                String where = "token \"" + token + "\"";
                if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT) {
                    throw VocabularyFormatException.atLine(file, line, where + " has no integer id");
                }
                addToken(file, line, where, token, parser.getIntValue(), ids, tokenOfId);
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw VocabularyFormatException.atLine(file, line(parser.currentTokenLocation()),
                    "unexpected content after the token-to-id object");
            }
        } catch (JsonProcessingException e) {
            throw jsonError(file, e);
        }
        return ids;
    }

    private static void addToken(Path file, long line, String where, String token, int id,
                                 Map<String, Integer> ids, Map<Integer, String> tokenOfId)
        throws VocabularyFormatException {
        String reason = null;
        if (id < 0) {
            reason = where + " has the negative id " + id;
        } else if (ids.containsKey(token)) {
            reason = where + " appears twice";
        } else if (tokenOfId.containsKey(id)) {
            reason = where + " has id " + id + ", already given to \"" + tokenOfId.get(id) + "\"";
        }
        if (reason != null) {
            throw line >= 0 ? VocabularyFormatException.atLine(file, line, reason)
                : VocabularyFormatException.of(file, reason, null);
        }
        ids.put(token, id);
        tokenOfId.put(id, token);
    }

    private static Vocabulary.Merge parseMergeLine(Path file, long lineNumber, String line, String where)
        throws VocabularyFormatException {
        String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        int space = trimmed.indexOf(' ');
        if (space <= 0 || space == trimmed.length() - 1 || trimmed.indexOf(' ', space + 1) >= 0) {
            throw VocabularyFormatException.atLine(file, lineNumber, where + " is \"" + trimmed
                + "\", expected two tokens separated by one space");
        }
        return new Vocabulary.Merge(trimmed.substring(0, space), trimmed.substring(space + 1), lineNumber, where);
    }

    private static int sizeOf(Map<String, Integer> ids) {
        int max = -1;
        for (int id : ids.values()) {
            max = Math.max(max, id);
        }
        return max + 1;
    }

    private static VocabularyFormatException jsonError(Path file, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        long line = location == null ? -1 : location.getLineNr();
        String reason = "not valid JSON: " + CauseMessages.jsonReason(e);
        return line > 0 ? VocabularyFormatException.atLine(file, line, reason, e)
            : VocabularyFormatException.of(file, reason, e);
    }

    private static long line(JsonLocation location) {
        return location == null ? -1 : location.getLineNr();
    }

    /** Reads lines one at a time, decoding each as strict UTF-8 so that an error names its line. */
    private static final class Utf8Lines implements Closeable {
        private final Path file;
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        private long number;

        Utf8Lines(Path file, InputStream in) {
            this.file = file;
            this.in = new BufferedInputStream(in, 1 << 16);
        }

        /** @return the next line without its line break, or null at the end */
        String next() throws IOException {
            line.reset();
            int b = in.read();
            if (b < 0) {
                return null;
            }
            while (b >= 0 && b != '\n') {
                line.write(b);
                b = in.read();
            }
            number++;
            try {
                return decoder.decode(ByteBuffer.wrap(line.toByteArray())).toString();
            } catch (CharacterCodingException e) {
                throw VocabularyFormatException.atLine(file, number, "not valid UTF-8", e);
            }
        }

        /** @return the 1-based number of the line {@link #next()} returned last */
        long number() {
            return number;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
