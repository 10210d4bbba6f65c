package io.github.pointclip.prompts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat responses on disk, one file per request, named by the SHA-256 of its key: everything that determines
 * the response (endpoint, model, messages, n, temperature, seed, max tokens, and the request's index among
 * those for the same command). The key is stored in the file and compared on reading. Entries are written
 * atomically as responses arrive, so an interrupted run keeps all it received. No API key is ever part of an
 * entry. An unreadable entry is a miss (logged) and is replaced.
 */
final class ResponseCache {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bumped when the entry format changes; part of every key. */
    static final int FORMAT = 1;

    private final Path dir;

    ResponseCache(Path dir) {
        this.dir = dir;
    }

    /**
     * @param dir the cache folder, created when missing
     * @return the cache
     * @throws IOException with a one-line message when the folder cannot be created (e.g. a file is in the way)
     */
    static ResponseCache open(Path dir) throws IOException {
        Folders.create(dir, "cannot create the response cache folder " + dir);
        return new ResponseCache(dir);
    }

    /** The key of a request: every input of the response, by value. */
    static ObjectNode key(ChatClient client, ChatRequest request, int index) {
        ObjectNode key = JSON.createObjectNode();
        key.put("format", FORMAT);
        key.put("url", client.endpoint().toString());
        key.put("model", client.model());
        ArrayNode messages = key.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        key.put("n", request.n());
        key.put("temperature", request.temperature());
        if (request.seed() == null) {
            key.putNull("seed");
        } else {
            key.put("seed", request.seed());
        }
        key.put("max_tokens", request.maxTokens());
        key.put("request", index);
        return key;
    }

    Path file(ObjectNode key) {
        return dir.resolve(Sha256.hex(key.toString()) + ".json");
    }

    Optional<List<ChatChoice>> get(ObjectNode key) {
        Path file = file(key);
        JsonNode entry;
        try {
            entry = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("cached response {} is unreadable ({}); asking the server again", file, e.getMessage());
            return Optional.empty();
        }
        if (entry == null || !key.equals(entry.get("key")) || !entry.path("choices").isArray()
            || entry.get("choices").isEmpty()) {
            LOG.warn("cached response {} does not hold the expected request; asking the server again", file);
            return Optional.empty();
        }
        List<ChatChoice> choices = new ArrayList<>();
        for (JsonNode c : entry.get("choices")) {
            if (!c.path("content").isTextual()) {
                LOG.warn("cached response {} has a choice without text; asking the server again", file);
                return Optional.empty();
            }
            JsonNode finish = c.get("finish_reason");
            choices.add(new ChatChoice(c.get("content").asText(), c.path("refused").asBoolean(false),
                finish == null || finish.isNull() ? null : finish.asText()));
        }
        return Optional.of(List.copyOf(choices));
    }

    void put(ObjectNode key, List<ChatChoice> choices) throws IOException {
        ObjectNode entry = JSON.createObjectNode();
        entry.set("key", key);
        ArrayNode array = entry.putArray("choices");
        for (ChatChoice c : choices) {
            ObjectNode o = array.addObject().put("content", c.content()).put("refused", c.refused());
            if (c.finishReason() != null) {
                o.put("finish_reason", c.finishReason());
            }
        }
        entry.put("received", Instant.now().toString());
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry);
        try {
            AtomicFiles.write(file(key), out -> out.write(bytes));
        } catch (IOException e) {
            throw Folders.explain("cannot cache a response in " + dir, e);
        }
    }
}
