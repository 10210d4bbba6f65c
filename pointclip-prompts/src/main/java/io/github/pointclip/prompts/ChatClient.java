package io.github.pointclip.prompts;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * A chat-completion service. {@link #openAiCompatible} speaks the OpenAI Chat Completions API, which hosted
 * APIs and local servers (llama.cpp's {@code llama-server}, Ollama, vLLM, LM Studio) all offer; tests and other
 * backends implement this interface. Implementations must be thread-safe: the generator sends requests from
 * several threads.
 */
public interface ChatClient {

    /**
     * A client with the defaults of {@link OpenAiChatClient.Builder}: no API key, 60 s request timeout,
     * {@link RetryPolicy#DEFAULT}.
     *
     * @param baseUrl the API's base URL, e.g. {@code https://api.openai.com/v1} or
     *     {@code http://localhost:8080/v1}; {@code /chat/completions} is appended unless it ends with it
     * @param model the model name the server knows
     * @return the client
     * @throws IllegalArgumentException when the URL is not an http(s) URL with a host, or the model is blank
     */
    static ChatClient openAiCompatible(String baseUrl, String model) {
        return OpenAiChatClient.builder(baseUrl, model).build();
    }

    /** @return the URL requests go to; part of every cache key and of the provenance */
    URI endpoint();

    /** @return the model name sent with each request; part of every cache key and of the provenance */
    String model();

    /**
     * Sends one request, retrying as the client's policy says.
     *
     * @param request the messages and parameters
     * @return the completions, at least one; a server that ignores {@code n} may return fewer than asked for
     * @throws ChatException when no usable response came (one line, never holding a secret)
     * @throws IOException on other I/O failures
     * @throws InterruptedException when the calling thread is interrupted (also while waiting to retry)
     */
    List<ChatChoice> complete(ChatRequest request) throws IOException, InterruptedException;
}
