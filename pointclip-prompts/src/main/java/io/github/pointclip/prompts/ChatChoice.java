package io.github.pointclip.prompts;

import java.util.Objects;

/**
 * One completion of a Chat Completions response.
 *
 * @param content the text (empty when the server sent none)
 * @param refused whether the server marked it as a refusal (the API's {@code message.refusal})
 * @param finishReason why the model stopped ({@code stop}, {@code length}, …), or null when not said
 */
public record ChatChoice(String content, boolean refused, String finishReason) {

    /** Checks the content is present. */
    public ChatChoice {
        Objects.requireNonNull(content, "content");
    }
}
