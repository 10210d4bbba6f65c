package io.github.pointclip.prompts;

/**
 * How many tokens a text takes in the CLIP text encoder's input, start and end of text included, so that a
 * prompt that would not fit the context (77 tokens for every published CLIP) can be dropped or cut. Built from
 * the tokenizer of the model the prompts are for, e.g. with pointclip-onnx:
 * {@code text -> tokenizer.encode(text).length + 2}. Must be thread-safe.
 */
@FunctionalInterface
public interface TokenCounter {

    /**
     * @param text a prompt
     * @return the number of tokens it takes, start and end of text included
     */
    int count(String text);
}
