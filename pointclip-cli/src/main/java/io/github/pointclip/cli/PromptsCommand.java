package io.github.pointclip.cli;

import picocli.CommandLine.Command;

/**
 * {@code pointclip prompts generate|stats|merge|commands}: LLM-assisted 3D prompt libraries (PointCLIP V2's
 * prompt generation) for any class names, against any OpenAI-compatible chat server; see docs/prompts.md.
 */
@Command(name = "prompts", mixinStandardHelpOptions = true,
    description = {"Write, inspect and merge prompt libraries {\"class\": [\"prompt\", ...]}.",
        "generate: asks an OpenAI-compatible chat server (hosted API, llama.cpp, Ollama, vLLM, LM Studio) for 3D "
            + "descriptions of each class; the library goes to 'search prompts --candidates' or 'eval --prompts'."},
    subcommands = {PromptsGenerateCommand.class, PromptsStatsCommand.class, PromptsMergeCommand.class,
        PromptsCommandsCommand.class})
final class PromptsCommand {
}
