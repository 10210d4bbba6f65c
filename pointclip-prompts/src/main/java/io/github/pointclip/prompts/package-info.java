/**
 * LLM-assisted 3D prompts: {@code PromptGenerator.builder().client(ChatClient.openAiCompatible(url, model))
 * .commands(CommandLibrary.pointClipV2()).build().generate(classNames)} returns a prompt library
 * ({@link io.github.pointclip.prompt.PromptSet}) and a {@link io.github.pointclip.prompts.GenerationReport} of
 * what each post-processing step dropped; {@link io.github.pointclip.prompts.GenerationResult#write} writes the
 * library and its provenance atomically.
 */
package io.github.pointclip.prompts;
