package io.github.pointclip.prompts;

import java.util.Objects;

/**
 * One message of a chat: a role ({@code system}, {@code user} or {@code assistant}) and its text.
 *
 * @param role who speaks
 * @param content what is said
 */
public record ChatMessage(String role, String content) {

    /**
     * @throws IllegalArgumentException when the role is blank
     */
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role.isBlank()) {
            throw new IllegalArgumentException("a chat message needs a role");
        }
    }

    /**
     * @param content the instructions
     * @return a {@code system} message
     */
    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    /**
     * @param content the request
     * @return a {@code user} message
     */
    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }
}
