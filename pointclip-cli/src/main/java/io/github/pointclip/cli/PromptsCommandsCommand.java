package io.github.pointclip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.prompts.CommandLibrary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pointclip prompts commands}: the built-in command library as a file to edit for {@code --commands}. */
@Command(name = "commands", mixinStandardHelpOptions = true,
    description = "Print the built-in command library (PointCLIP V2's four families, for depth maps) as JSON, the form "
        + "'prompts generate --commands FILE.json' reads.")
final class PromptsCommandsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Write it to a file instead of stdout.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(
            CommandLibrary.pointClipV2().toJson()) + "\n";
        if (out != null) {
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            AtomicFiles.write(out, o -> o.write(bytes));
        } else {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(text);
            stdout.flush();
        }
        return 0;
    }
}
