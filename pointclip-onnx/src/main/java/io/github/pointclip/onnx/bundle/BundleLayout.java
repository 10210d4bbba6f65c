package io.github.pointclip.onnx.bundle;

/** The on-disk layouts {@link ModelBundle#detect} recognises. */
public enum BundleLayout {
    /** The project's own: {@code pointclip-model.json} beside the models and tokenizer files. */
    POINTCLIP,
    /**
     * Hugging Face / transformers.js: {@code onnx/vision_model.onnx} (input {@code pixel_values},
     * output {@code image_embeds}), {@code onnx/text_model.onnx} (inputs {@code input_ids}, optional
     * {@code attention_mask}, output {@code text_embeds}), optional {@code config.json}, and
     * {@code vocab.json} + {@code merges.txt} or {@code tokenizer.json}.
     */
    HUGGING_FACE,
    /**
     * OpenAI-CLIP style split export: {@code visual.onnx} + {@code textual.onnx}, or
     * {@code visual/model.onnx} + {@code textual/model.onnx}, each with one input and one output
     * whatever their names, with {@code bpe_simple_vocab_16e6.txt.gz} (or Hugging Face tokenizer files)
     * and an optional open_clip {@code config.json}.
     */
    OPENAI
}
