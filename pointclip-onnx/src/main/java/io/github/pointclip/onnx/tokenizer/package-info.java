/**
 * CLIP's byte-level BPE tokenizer in pure Java.
 *
 * <p>{@link io.github.pointclip.onnx.tokenizer.ClipTokenizer} reads the vocabulary in any of the
 * forms CLIP models ship with (openai/CLIP's {@code bpe_simple_vocab_16e6.txt.gz}, Hugging Face
 * {@code vocab.json} + {@code merges.txt}, or {@code tokenizer.json}) and produces the same ids
 * as openai/CLIP's {@code SimpleTokenizer}: HTML unescaping, whitespace collapsing, lower-casing,
 * CLIP's pre-tokenisation pattern, byte-to-unicode mapping, BPE with the {@code </w>} end-of-word
 * marker, then start/end-of-text and zero padding to the context length (77).
 *
 * <p>Not reproduced: ftfy's repair of mojibake and other broken text, which has no Java port. Text
 * that is already valid Unicode (the normal case) is unaffected; the reference ids in the
 * project's golden data are computed without ftfy too.
 */
package io.github.pointclip.onnx.tokenizer;
