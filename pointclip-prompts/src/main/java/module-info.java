/**
 * PointCLIP for Java, prompts: LLM-assisted 3D prompts (PointCLIP V2's prompt generation) for any class
 * names. An OpenAI-compatible Chat Completions client ({@link io.github.pointclip.prompts.ChatClient}), the
 * paper's four command families written for depth maps ({@link io.github.pointclip.prompts.CommandLibrary}),
 * post-processing with counts per step, an on-disk response cache that makes a rerun free and resumes an
 * interrupted run, and the {@link io.github.pointclip.prompts.PromptGenerator} that ties them together into a
 * {@link io.github.pointclip.prompt.PromptSet} with its report and provenance.
 *
 * <p>Depends on core only: the 77-token check takes a {@link io.github.pointclip.prompts.TokenCounter}, which
 * callers build from the CLIP tokenizer of the model they use (the command line does).
 */
module io.github.pointclip.prompts {
    requires transitive io.github.pointclip.core;
    requires transitive java.net.http; // OpenAiChatClient.Builder#httpClient takes a java.net.http.HttpClient
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.github.pointclip.prompts;
}
