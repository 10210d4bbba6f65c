package io.github.pointclip.prompts;

import java.util.List;
import java.util.Objects;

/**
 * One Chat Completions request: the messages and the sampling parameters. Immutable.
 *
 * @param messages the conversation, at least one message
 * @param n completions asked for (the API's {@code n}), at least 1
 * @param temperature sampling temperature, 0 to 2
 * @param seed the sampling seed, or null for none
 * @param maxTokens the most tokens per completion (the API's {@code max_tokens}), at least 1
 */
public record ChatRequest(List<ChatMessage> messages, int n, double temperature, Long seed, int maxTokens) {

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public ChatRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be ≥ 1, got " + n);
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max tokens must be ≥ 1, got " + maxTokens);
        }
    }
}
