package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.internal.CacheDirectory;
import io.github.pointclip.internal.JsonMessages;
import io.github.pointclip.io.FileFormatException;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import io.github.pointclip.prompt.ClassNames;
import io.github.pointclip.prompts.ClassReport;
import io.github.pointclip.prompts.CleaningCounts;
import io.github.pointclip.prompts.CommandLibrary;
import io.github.pointclip.prompts.GenerationReport;
import io.github.pointclip.prompts.GenerationResult;
import io.github.pointclip.prompts.OpenAiChatClient;
import io.github.pointclip.prompts.PromptGenerator;
import io.github.pointclip.prompts.RetryPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pointclip prompts generate}: asks an OpenAI-compatible chat server for 3D descriptions of each class
 * ({@link PromptGenerator}), checks them against the CLIP text encoder's context with the model's tokenizer,
 * and writes the library and its provenance. Every response is cached as it arrives: a rerun sends nothing, an
 * interrupted run resumes.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Generate a prompt library {\"class\": [\"prompt\", ...]} with a language model.",
        "Sends each command of the library (PointCLIP V2's four families by default) for each class to an "
            + "OpenAI-compatible chat server, cleans the answers and writes FILE.json and FILE.provenance.json."})
final class PromptsGenerateCommand implements Callable<Integer> {

    /** What an environment variable's name may look like; anything else may be the key itself. */
    private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    /** Where the class names come from: exactly one. */
    static final class ClassSource {
        @Option(names = "--classes", paramLabel = "modelnet40|scanobjectnn",
            description = "A benchmark's classes, named as its files name them (flower_pot).")
        String preset;

        @Option(names = "--labels", split = ",", paramLabel = "A,B,C", description = "The class names, comma-separated.")
        List<String> labels;

        @Option(names = "--classes-file", paramLabel = "FILE",
            description = "One class name per line (blank lines and # comments ignored), or a JSON array of names, "
                + "or a JSON object whose keys are the names (e.g. another prompt library).")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    ClassSource source;

    @Option(names = "--llm-url", required = true, paramLabel = "URL",
        description = "Base URL of the OpenAI-compatible API, e.g. https://api.openai.com/v1, http://localhost:8080/v1 "
            + "(llama.cpp), http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM), "
            + "http://localhost:1234/v1 (LM Studio).")
    String url;

    @Option(names = "--llm-model", required = true, paramLabel = "NAME", description = "The model name the server knows.")
    String llmModel;

    @Option(names = "--api-key-env", defaultValue = "OPENAI_API_KEY", paramLabel = "VAR",
        description = "Environment variable holding the API key; unset means no key, as local servers need "
            + "(default: ${DEFAULT-VALUE}). The key is never written or printed.")
    String apiKeyEnv;

    @Option(names = "--allow-insecure-key",
        description = "Send the API key even over plain http:// to another machine, where anyone on the way can read it "
            + "(default: refused; http://localhost and https:// need no opt-in).")
    boolean allowInsecureKey;

    @Option(names = "--commands", paramLabel = "FILE.json",
        description = "A command library {\"system\": \"...\", \"family\": [\"... {} ...\", ...]} that replaces the "
            + "built-in one ('prompts commands' prints it).")
    Path commandsFile;

    @Option(names = "--extra-commands", paramLabel = "FILE.json",
        description = "A command library added to the built-in one (or to --commands).")
    Path extraCommands;

    @Option(names = "--per-command", defaultValue = "5", paramLabel = "N",
        description = "Completions per class and command (default: ${DEFAULT-VALUE}).")
    int perCommand;

    @Option(names = "--choices-per-request", paramLabel = "K",
        description = "Completions asked for per request (the API's n); 1 for servers that refuse n "
            + "(default: all of --per-command in one request; a server that returns fewer is asked again).")
    Integer choicesPerRequest;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
        description = "Sampling temperature, 0 to 2 (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", paramLabel = "S",
        description = "Sampling seed sent with each request (S + j for a command's request j); servers may ignore it.")
    Long seed;

    @Option(names = "--max-tokens", defaultValue = "80", paramLabel = "M",
        description = "max_tokens per completion (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--max-per-class", paramLabel = "K",
        description = "Keep at most K prompts per class, applied after every other step (default: no cap).")
    Integer maxPerClass;

    @Option(names = "--require-class-name", description = "Drop prompts that do not name their class.")
    boolean requireClassName;

    @Option(names = "--no-token-check",
        description = "Do not check prompts against the text encoder's context (then no model is needed).")
    boolean noTokenCheck;

    @Option(names = "--vocab", paramLabel = "FILE",
        description = "The tokenizer vocabulary to count tokens with (bpe_simple_vocab_16e6.txt.gz, vocab.json, "
            + "tokenizer.json) instead of the model's.")
    Path vocab;

    @Mixin
    ModelOptions model;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
        description = "Time one request may take (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--retries", defaultValue = "5", paramLabel = "N",
        description = "Retries of a request after 429, 5xx, a timeout, a broken connection or a malformed answer, "
            + "with exponential backoff and Retry-After honoured (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--concurrency", defaultValue = "4", paramLabel = "C",
        description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--cache", paramLabel = "DIR",
        description = "Where responses are cached (default: <pointclip cache>/prompts, i.e. ~/.cache/pointclip/prompts "
            + "unless -Dpointclip.cache or POINTCLIP_CACHE say otherwise).")
    Path cache;

    @Option(names = "--out", required = true, paramLabel = "FILE.json",
        description = "The library to write; FILE.provenance.json goes beside it. Written only when every class is complete.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        checkOptions();
        List<String> classes = classes();
        CommandLibrary commands = commandsFile == null ? CommandLibrary.pointClipV2() : CommandLibrary.fromJson(commandsFile);
        if (extraCommands != null) {
            commands = commands.plus(CommandLibrary.fromJson(extraCommands));
        }
        ClipTokenizer tokenizer = noTokenCheck ? null
            : PromptsTokenizer.load(model, vocab, err, "--no-token-check to skip the 77-token check");
        String key = System.getenv(apiKeyEnv);
        OpenAiChatClient client;
        try {
            client = OpenAiChatClient.builder(url, llmModel).apiKey(key, "$" + apiKeyEnv)
                .timeout(Duration.ofMillis(Math.round(timeoutSeconds * 1000))).allowInsecureKey(allowInsecureKey)
                .retry(new RetryPolicy(retries, Duration.ofSeconds(1), Duration.ofSeconds(60))).build();
        } catch (IllegalArgumentException e) {
            throw new PointClipCli.BadInputException(e.getMessage().startsWith("refusing to send the API key")
                ? e.getMessage() + " with --allow-insecure-key (or unset $" + apiKeyEnv + " if the server needs no key)"
                : e.getMessage());
        }
        Path cacheDir = cache != null ? cache : CacheDirectory.root().resolve("prompts");
        GenerationResult.checkOutput(out); // before any request is paid for; the generator creates the cache folder
        PromptGenerator.Builder builder = PromptGenerator.builder().client(client).commands(commands)
            .completionsPerCommand(perCommand).temperature(temperature).seed(seed).maxTokens(maxTokens)
            .requireClassName(requireClassName).maxPerClass(maxPerClass == null ? 0 : maxPerClass)
            .cache(cacheDir).concurrency(concurrency).truncate(model.truncatePrompts);
        if (choicesPerRequest != null) {
            builder.choicesPerRequest(choicesPerRequest);
        }
        if (tokenizer != null) {
            builder.tokenLimit(PromptsTokenizer.counter(tokenizer), tokenizer.contextLength());
        }
        err.printf(Locale.ROOT, "prompts: %d classes × %d commands, at least %d requests to %s (model %s, %s); cache %s%n",
            classes.size(), commands.size(), builder.build().requestsPerClass() * classes.size(), client.endpoint(),
            llmModel, key == null || key.isBlank() ? "no API key" : "API key from $" + apiKeyEnv, cacheDir);
        err.flush();
        GenerationResult result;
        try (ProgressBar bar = new ProgressBar(err, "prompts", (long) classes.size() * commands.size(), "commands")) {
            builder.listener((done, total, requests, hits) -> bar.update(done, requests + " sent, " + hits + " cached"));
            result = builder.build().generate(classes); // a ChatException says what this run received and cached
        }
        result = result.withProvenance("api_key_env", apiKeyEnv)
            .withProvenance("tokenizer", tokenizer == null ? "none (--no-token-check)" : tokenizer.toString());
        result.write(out);
        summary(stdout, result.report());
        stdout.flush();
        return 0;
    }

    private void summary(PrintWriter stdout, GenerationReport r) {
        int min = r.classes().stream().mapToInt(ClassReport::kept).min().orElse(0);
        int max = r.classes().stream().mapToInt(ClassReport::kept).max().orElse(0);
        stdout.printf(Locale.ROOT, "wrote %s: %d classes, %d prompts (%d to %d per class); %d requests, %d from the cache%n",
            out, r.classes().size(), r.kept(), min, max, r.requests(), r.cacheHits());
        StringBuilder drops = new StringBuilder();
        r.dropped().forEach((reason, n) -> drops.append(drops.length() == 0 ? "" : ", ").append(n).append(' ')
            .append(reason.label()));
        CleaningCounts steps = r.cleaning();
        stdout.printf(Locale.ROOT, "cleaning: numbering or bullets stripped from %d answers, quotes from %d, labels or "
            + "lead-ins from %d; %d answers split into %d more sentences%n", steps.numberingStripped(),
            steps.quotesStripped(), steps.labelsStripped(), steps.answersSplit(), steps.sentencesAdded());
        stdout.printf(Locale.ROOT, "%d answers gave %d candidates; dropped %s; %d truncated%n", r.answers(),
            r.candidates(), drops, r.truncated());
        stdout.printf("provenance: %s%n", GenerationResult.provenanceFile(out));
    }

    private void checkOptions() {
        PromptsTokenizer.refuseEncoderOptions(spec);
        if (perCommand < 1 || (choicesPerRequest != null && choicesPerRequest < 1) || maxTokens < 1 || retries < 0
            || concurrency < 1 || (maxPerClass != null && maxPerClass < 1)) {
            throw new PointClipCli.BadInputException("--per-command, --choices-per-request, --max-tokens, --concurrency "
                + "and --max-per-class must be ≥ 1 and --retries ≥ 0");
        }
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new PointClipCli.BadInputException("--temperature must be in [0, 2], got " + temperature);
        }
        if (!(timeoutSeconds >= 0.001 && Double.isFinite(timeoutSeconds))) {
            throw new PointClipCli.BadInputException("--timeout must be at least 0.001 seconds (1 ms), got " + timeoutSeconds);
        }
        if (noTokenCheck) {
            PromptsTokenizer.refuseWithoutTokenCheck(spec);
        }
        if (!ENV_NAME.matcher(apiKeyEnv).matches()) {
            // the value is not echoed: it may be the key itself ("--api-key-env $OPENAI_API_KEY")
            throw new PointClipCli.BadInputException("--api-key-env takes the name of an environment variable "
                + "(letters, digits and _, not starting with a digit, e.g. OPENAI_API_KEY), not the key itself; "
                + "the value given is not shown");
        }
    }

    private List<String> classes() throws IOException {
        if (source.preset != null) {
            return ClassNames.preset(source.preset);
        }
        List<String> names = new ArrayList<>();
        if (source.labels != null) {
            source.labels.stream().map(String::strip).forEach(names::add);
        } else {
            names.addAll(readClassesFile(source.file));
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty()) {
                throw new PointClipCli.BadInputException("class name " + (i + 1)
                    + (source.file == null ? "" : " in " + source.file) + " is empty");
            }
            if (names.indexOf(names.get(i)) != i) {
                throw new PointClipCli.BadInputException("class '" + names.get(i) + "' is given twice");
            }
        }
        if (names.isEmpty()) {
            throw new PointClipCli.BadInputException((source.file == null ? "--labels" : source.file.toString())
                + " names no class");
        }
        return names;
    }

    /** One name per line, a JSON array of names, or a JSON object's keys. */
    static List<String> readClassesFile(Path file) throws IOException {
        String text = Files.readString(file);
        List<String> names = new ArrayList<>();
        String trimmed = text.strip();
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw FileFormatException.atLine(file, JsonMessages.line(e), "invalid JSON: " + JsonMessages.reason(e), e);
            }
            if (root.isArray()) {
                for (JsonNode n : root) {
                    if (!n.isTextual()) {
                        throw FileFormatException.of(file, "expected an array of class names, found " + n, null);
                    }
                    names.add(n.asText().strip());
                }
            } else {
                root.fieldNames().forEachRemaining(n -> names.add(n.strip())); // checked as array entries are
            }
            return names;
        }
        for (String line : text.split("\\R")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                names.add(s);
            }
        }
        return names;
    }
}
