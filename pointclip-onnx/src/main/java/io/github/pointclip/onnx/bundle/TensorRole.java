package io.github.pointclip.onnx.bundle;

/** What an input or output of a CLIP encoder model is for. */
public enum TensorRole {
    /** Image encoder input: pixels, {@code [batch, 3, size, size]}. */
    IMAGE("image input"),
    /** Image encoder output: image embeddings, {@code [batch, dim]}. */
    IMAGE_EMBEDDING("image embedding output"),
    /** Text encoder input: token ids, {@code [batch, context]}. */
    TOKEN_IDS("token-id input"),
    /** Text encoder input: attention mask, {@code [batch, context]}; not every model has it. */
    ATTENTION_MASK("attention-mask input"),
    /** Text encoder output: text embeddings, {@code [batch, dim]}. */
    TEXT_EMBEDDING("text embedding output");

    private final String description;

    TensorRole(String description) {
        this.description = description;
    }

    /** @return a short phrase for messages, e.g. {@code token-id input} */
    public String description() {
        return description;
    }
}
