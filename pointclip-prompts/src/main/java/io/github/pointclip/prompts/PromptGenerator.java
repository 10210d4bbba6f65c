package io.github.pointclip.prompts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.Version;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes 3D prompts for any classes with a language model, as PointCLIP V2 does: every command of the
 * {@link CommandLibrary} is sent for every class, {@code completionsPerCommand} completions are collected per
 * (class, command), and post-processing ({@link DropReason}) turns the answers into a prompt library.
 *
 * <pre>{@code
 * GenerationResult r = PromptGenerator.builder()
 *     .client(ChatClient.openAiCompatible("http://localhost:8080/v1", "llama-3.1-8b-instruct"))
 *     .commands(CommandLibrary.pointClipV2())
 *     .cache(Path.of("prompt-cache"))
 *     .build()
 *     .generate(List.of("chair", "flower_pot"));
 * r.write(Path.of("prompts.json"));   // {"chair": [...], "flower_pot": [...]} and prompts.provenance.json
 * }</pre>
 *
 * <p>Requests: a class costs {@code commands × ⌈completionsPerCommand / choicesPerRequest⌉} requests (more when
 * a server returns fewer completions than {@code n}; the rest is asked for in further requests). Request
 * {@code j} of a command carries {@code seed + j} when a seed is set, so repeated requests to a seeded server
 * differ. With a {@linkplain Builder#cache cache}, every response is stored as it arrives and a rerun with the
 * same settings sends no request at all; a run that failed or was interrupted resumes where it stopped.
 *
 * <p>The class names are the library's keys exactly as given; the text sent to the model and the prompts read
 * naturally ({@code flower_pot} is asked about as "flower pot"). Immutable; {@link #generate} may run in several
 * threads at once.
 */
public final class PromptGenerator {

    /** Completions per command by default. */
    public static final int DEFAULT_COMPLETIONS = 5;
    /** Sampling temperature by default. */
    public static final double DEFAULT_TEMPERATURE = 1.0;
    /** {@code max_tokens} per completion by default: a sentence, well within CLIP's context. */
    public static final int DEFAULT_MAX_TOKENS = 80;
    /** Requests in flight by default. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** The context length of every published CLIP text encoder. */
    public static final int CLIP_CONTEXT = 77;

    private static final Logger LOG = LoggerFactory.getLogger(PromptGenerator.class);

    private final ChatClient client;
    private final CommandLibrary commands;
    private final int completions;
    private final int choicesPerRequest;
    private final double temperature;
    private final Long seed;
    private final int maxTokens;
    private final boolean requireClassName;
    private final TokenCounter counter;
    private final int contextLength;
    private final boolean truncate;
    private final int maxPerClass;
    private final Path cache;
    private final int concurrency;
    private final GenerationListener listener;

    private PromptGenerator(Builder b) {
        this.client = b.client;
        this.commands = b.commands;
        this.completions = b.completions;
        this.choicesPerRequest = b.choicesPerRequest == 0 ? b.completions : Math.min(b.choicesPerRequest, b.completions);
        this.temperature = b.temperature;
        this.seed = b.seed;
        this.maxTokens = b.maxTokens;
        this.requireClassName = b.requireClassName;
        this.counter = b.counter;
        this.contextLength = b.contextLength;
        this.truncate = b.truncate;
        this.maxPerClass = b.maxPerClass;
        this.cache = b.cache;
        this.concurrency = b.concurrency;
        this.listener = b.listener;
    }

    /** @return a builder; only the client is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with this generator's settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.client = client;
        b.commands = commands;
        b.completions = completions;
        b.choicesPerRequest = choicesPerRequest;
        b.temperature = temperature;
        b.seed = seed;
        b.maxTokens = maxTokens;
        b.requireClassName = requireClassName;
        b.counter = counter;
        b.contextLength = contextLength;
        b.truncate = truncate;
        b.maxPerClass = maxPerClass;
        b.cache = cache;
        b.concurrency = concurrency;
        b.listener = listener;
        return b;
    }

    /**
     * Requests (at least; more when the server returns fewer completions than asked for) that one class costs.
     *
     * @return {@code commands × ⌈completionsPerCommand / choicesPerRequest⌉}
     */
    public int requestsPerClass() {
        return commands.size() * ((completions + choicesPerRequest - 1) / choicesPerRequest);
    }

    /**
     * Generates prompts for the classes.
     *
     * @param classNames the classes, as they should appear as the library's keys (e.g. {@code flower_pot})
     * @return the library, its report and provenance
     * @throws IllegalArgumentException when a name is blank or repeated
     * @throws ChatException when the server gives no usable answer for some request; the responses received
     *     before stay in the cache, and the message says how many this run received
     * @throws PromptGenerationException when post-processing leaves a class without any prompt (naming it)
     * @throws IOException when the cache folder cannot be created (before any request) or written
     * @throws InterruptedException when the calling thread is interrupted; requests in flight are abandoned
     */
    public GenerationResult generate(List<String> classNames) throws IOException, InterruptedException {
        List<String> classes = checkNames(classNames);
        List<CommandLibrary.Command> cmds = commands.commands();
        ResponseCache responses = cache == null ? null : ResponseCache.open(cache);
        int total = classes.size() * cmds.size();
        List<List<List<ChatChoice>>> answers = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<List<ChatChoice>> perCommand = new ArrayList<>();
            for (int k = 0; k < cmds.size(); k++) {
                perCommand.add(null);
            }
            answers.add(perCommand);
        }
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger hits = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        LOG.info("generating prompts for {} classes with {} commands at {} (model {}): about {} requests",
            classes.size(), cmds.size(), client.endpoint(), client.model(), requestsPerClass() * classes.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, total)), r -> {
            Thread t = new Thread(r, "pointclip-prompts");
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (int c = 0; c < classes.size(); c++) {
                for (int k = 0; k < cmds.size(); k++) {
                    int ci = c;
                    int ki = k;
                    done.submit(() -> {
                        if (failed.get()) {
                            return null; // another request failed: send nothing more
                        }
                        List<ChatChoice> got;
                        try {
                            got = ask(classes.get(ci), cmds.get(ki), responses, requests, hits, stored);
                        } catch (Exception | Error e) {
                            failed.set(true);
                            throw e;
                        }
                        synchronized (answers) {
                            answers.get(ci).set(ki, got);
                        }
                        return null;
                    });
                }
            }
            for (int finished = 1; finished <= total; finished++) {
                Future<Void> f = done.take();
                try {
                    f.get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    Throwable cause = e.getCause();
                    if (cause instanceof ChatException ce && responses != null && stored.get() + hits.get() > 0) {
                        throw new ChatException(ce.kind(), ce.status(), ce.getMessage() + "; the " + stored.get()
                            + (stored.get() == 1 ? " response" : " responses") + " received in this run "
                            + (stored.get() == 1 ? "is" : "are") + " cached in " + cache
                            + (hits.get() > 0 ? " (" + hits.get() + " more came from it)" : "") + ": a rerun resumes", ce);
                    }
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof InterruptedException ie) {
                        throw ie;
                    }
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(cause);
                }
                listener.progress(finished, total, requests.get(), hits.get());
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        PromptCleaner cleaner = new PromptCleaner(requireClassName, counter, contextLength, truncate, maxPerClass);
        Map<String, List<String>> library = new LinkedHashMap<>();
        List<ClassReport> reports = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            PromptCleaner.Outcome o = cleaner.process(classes.get(c), answers.get(c),
                cmds.stream().map(CommandLibrary.Command::family).toList());
            reports.add(o.report());
            library.put(classes.get(c), o.prompts());
            if (o.prompts().isEmpty()) {
                empty.add(classes.get(c));
            }
        }
        GenerationReport report = new GenerationReport(reports, requests.get(), hits.get());
        if (!empty.isEmpty()) {
            ClassReport first = reports.get(classes.indexOf(empty.get(0)));
            throw new PromptGenerationException("no prompt left for " + (empty.size() == 1 ? "class " : "classes ")
                + String.join(", ", empty) + " (" + first.className() + ": " + first.answers() + " answers, "
                + first.candidates() + " candidates, dropped: " + dropSummary(first) + ")", report);
        }
        LOG.info("{} prompts for {} classes ({} requests, {} from the cache)", report.kept(), classes.size(),
            report.requests(), report.cacheHits());
        return new GenerationResult(PromptSet.fromPrompts(library), report, provenance(report));
    }

    /** The completions of one (class, command): as many requests as it takes to collect them all. */
    private List<ChatChoice> ask(String className, CommandLibrary.Command command, ResponseCache responses,
                                 AtomicInteger requests, AtomicInteger hits, AtomicInteger stored)
        throws IOException, InterruptedException {
        List<ChatMessage> messages = new ArrayList<>();
        if (commands.system() != null) {
            messages.add(ChatMessage.system(commands.system()));
        }
        messages.add(ChatMessage.user(command.forClass(className)));
        List<ChatChoice> collected = new ArrayList<>();
        for (int j = 0; collected.size() < completions; j++) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            int ask = Math.min(choicesPerRequest, completions - collected.size());
            ChatRequest request = new ChatRequest(messages, ask, temperature, seed == null ? null : seed + j, maxTokens);
            ObjectNode key = responses == null ? null : ResponseCache.key(client, request, j);
            Optional<List<ChatChoice>> cached = responses == null ? Optional.empty() : responses.get(key);
            List<ChatChoice> got;
            if (cached.isPresent()) {
                got = cached.get();
                hits.incrementAndGet();
            } else {
                requests.incrementAndGet();
                got = client.complete(request);
                if (got.isEmpty()) {
                    throw new ChatException(ChatException.Kind.BAD_RESPONSE, 200, "the response from "
                        + client.endpoint().getHost() + " has no choice", null);
                }
                if (responses != null) {
                    responses.put(key, got);
                    stored.incrementAndGet();
                }
            }
            collected.addAll(got.subList(0, Math.min(ask, got.size())));
        }
        return collected;
    }

    private static List<String> checkNames(List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("no class to generate prompts for");
        }
        Set<String> seen = new HashSet<>();
        for (String c : classNames) {
            if (c == null || c.isBlank()) {
                throw new IllegalArgumentException("a class name is blank");
            }
            if (!seen.add(c)) {
                throw new IllegalArgumentException("class '" + c + "' is given twice");
            }
        }
        return List.copyOf(classNames);
    }

    static String dropSummary(ClassReport r) {
        StringBuilder sb = new StringBuilder();
        for (DropReason d : DropReason.values()) {
            if (r.dropped(d) > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(r.dropped(d)).append(' ').append(d.label());
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private ObjectNode provenance(GenerationReport report) {
        ObjectNode p = new ObjectMapper().createObjectNode();
        p.put("generator", "pointclip prompts generate");
        p.put("pointclip_version", Version.get());
        p.put("date", Instant.now().toString());
        ObjectNode server = p.putObject("server");
        server.put("url", client.endpoint().toString());
        server.put("model", client.model());
        ObjectNode params = p.putObject("parameters");
        params.put("completions_per_command", completions);
        params.put("choices_per_request", choicesPerRequest);
        params.put("temperature", temperature);
        if (seed == null) {
            params.putNull("seed");
        } else {
            params.put("seed", seed);
        }
        params.put("max_tokens", maxTokens);
        params.put("require_class_name", requireClassName);
        params.put("token_check", counter != null);
        params.put("context_length", contextLength);
        params.put("truncate", truncate);
        if (maxPerClass > 0) {
            params.put("max_per_class", maxPerClass);
        } else {
            params.putNull("max_per_class");
        }
        p.set("commands", commands.toJson());
        ObjectNode requests = p.putObject("requests");
        requests.put("sent", report.requests());
        requests.put("from_cache", report.cacheHits());
        ObjectNode totals = p.putObject("totals");
        fill(totals, report.answers(), report.cleaned(), report.cleaning(), report.candidates(), report.truncated(), report.dropped(), report.kept());
        ObjectNode perClass = p.putObject("classes");
        for (ClassReport r : report.classes()) {
            fill(perClass.putObject(r.className()), r.answers(), r.cleaned(), r.cleaning(), r.candidates(), r.truncated(), r.dropped(), r.kept());
        }
        return p;
    }

    private static void fill(ObjectNode o, int answers, int cleaned, CleaningCounts cleaning, int candidates, int truncated, Map<DropReason, Integer> dropped,
                             int kept) {
        o.put("answers", answers);
        o.put("cleaned", cleaned);
        ObjectNode steps = o.putObject("cleaning");
        steps.put("numbering_stripped", cleaning.numberingStripped());
        steps.put("quotes_stripped", cleaning.quotesStripped());
        steps.put("labels_stripped", cleaning.labelsStripped());
        steps.put("answers_split", cleaning.answersSplit());
        steps.put("sentences_added", cleaning.sentencesAdded());
        o.put("candidates", candidates);
        ObjectNode d = o.putObject("dropped");
        for (DropReason r : DropReason.values()) {
            d.put(r.key(), dropped.get(r));
        }
        o.put("truncated", truncated);
        o.put("kept", kept);
    }

    /** Settings of a {@link PromptGenerator}; each has a default except the client. */
    public static final class Builder {
        private ChatClient client;
        private CommandLibrary commands;
        private int completions = DEFAULT_COMPLETIONS;
        private int choicesPerRequest;
        private double temperature = DEFAULT_TEMPERATURE;
        private Long seed;
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private boolean requireClassName;
        private TokenCounter counter;
        private int contextLength = CLIP_CONTEXT;
        private boolean truncate;
        private int maxPerClass;
        private Path cache;
        private int concurrency = DEFAULT_CONCURRENCY;
        private GenerationListener listener = GenerationListener.NONE;

        private Builder() {
        }

        /**
         * @param chatClient the chat server (required)
         * @return this builder
         */
        public Builder client(ChatClient chatClient) {
            this.client = Objects.requireNonNull(chatClient, "chatClient");
            return this;
        }

        /**
         * @param library the commands (default {@link CommandLibrary#pointClipV2()})
         * @return this builder
         */
        public Builder commands(CommandLibrary library) {
            this.commands = Objects.requireNonNull(library, "library");
            return this;
        }

        /**
         * @param n completions collected per (class, command), ≥ 1 (default {@value PromptGenerator#DEFAULT_COMPLETIONS})
         * @return this builder
         */
        public Builder completionsPerCommand(int n) {
            this.completions = n;
            return this;
        }

        /**
         * @param n completions asked for per request (the API's {@code n}), ≥ 1; 1 for servers that refuse
         *     {@code n} (default: all of a command's completions in one request)
         * @return this builder
         */
        public Builder choicesPerRequest(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("choices per request must be ≥ 1, got " + n);
            }
            this.choicesPerRequest = n;
            return this;
        }

        /**
         * @param t sampling temperature in [0, 2] (default {@value PromptGenerator#DEFAULT_TEMPERATURE})
         * @return this builder
         */
        public Builder temperature(double t) {
            this.temperature = t;
            return this;
        }

        /**
         * @param s the sampling seed sent with each request ({@code s + j} for a command's request {@code j}),
         *     or null for none (default: none)
         * @return this builder
         */
        public Builder seed(Long s) {
            this.seed = s;
            return this;
        }

        /**
         * @param n {@code max_tokens} per completion, ≥ 1 (default {@value PromptGenerator#DEFAULT_MAX_TOKENS})
         * @return this builder
         */
        public Builder maxTokens(int n) {
            this.maxTokens = n;
            return this;
        }

        /**
         * @param require drop prompts that do not name the class (default false)
         * @return this builder
         */
        public Builder requireClassName(boolean require) {
            this.requireClassName = require;
            return this;
        }

        /**
         * Checks every prompt against the text encoder's context.
         *
         * @param tokenCounter tokens per prompt with start and end of text, or null for no check (default: none)
         * @param context the context length, ≥ 2 (CLIP: {@value PromptGenerator#CLIP_CONTEXT})
         * @return this builder
         */
        public Builder tokenLimit(TokenCounter tokenCounter, int context) {
            if (context < 2) {
                throw new IllegalArgumentException("context length must be ≥ 2, got " + context);
            }
            this.counter = tokenCounter;
            this.contextLength = context;
            return this;
        }

        /**
         * @param cut cut prompts that do not fit the context to the longest prefix of whole words that does,
         *     instead of dropping them (default false); needs {@link #tokenLimit}
         * @return this builder
         */
        public Builder truncate(boolean cut) {
            this.truncate = cut;
            return this;
        }

        /**
         * @param k the most prompts kept per class, applied last (default 0: no cap)
         * @return this builder
         */
        public Builder maxPerClass(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("max per class must be ≥ 0 (0: no cap), got " + k);
            }
            this.maxPerClass = k;
            return this;
        }

        /**
         * @param dir where responses are cached, created when needed; null for no cache (default: none)
         * @return this builder
         */
        public Builder cache(Path dir) {
            this.cache = dir;
            return this;
        }

        /**
         * @param n requests in flight at once, ≥ 1 (default {@value PromptGenerator#DEFAULT_CONCURRENCY})
         * @return this builder
         */
        public Builder concurrency(int n) {
            this.concurrency = n;
            return this;
        }

        /**
         * @param progress called as (class, command) pairs are answered (default: none)
         * @return this builder
         */
        public Builder listener(GenerationListener progress) {
            this.listener = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * @return the generator
         * @throws IllegalStateException without a client
         * @throws IllegalArgumentException for a value out of range
         */
        public PromptGenerator build() {
            if (client == null) {
                throw new IllegalStateException("no chat client: call client(ChatClient.openAiCompatible(url, model))");
            }
            if (commands == null) {
                commands = CommandLibrary.pointClipV2();
            }
            if (completions < 1) {
                throw new IllegalArgumentException("completions per command must be ≥ 1, got " + completions);
            }
            if (!(temperature >= 0 && temperature <= 2)) {
                throw new IllegalArgumentException("temperature must be in [0, 2], got " + temperature);
            }
            if (maxTokens < 1) {
                throw new IllegalArgumentException("max tokens must be ≥ 1, got " + maxTokens);
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be ≥ 1, got " + concurrency);
            }
            if (truncate && counter == null) {
                throw new IllegalArgumentException("truncation needs a token counter (tokenLimit)");
            }
            return new PromptGenerator(this);
        }
    }
}
