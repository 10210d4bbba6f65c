package io.github.pointclip.cli;

import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.prompt.PromptSet;
import io.github.pointclip.prompts.GenerationResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pointclip prompts merge A.json B.json --out C.json}: the union of prompt libraries, classes in order of
 * first appearance, each class's prompts in file order without repeats (ignoring case and whitespace).
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
    description = "Merge prompt libraries: every class of every file, its prompts in file order without repeats.")
final class PromptsMergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(arity = "2..*", paramLabel = "FILE.json", description = "The libraries to merge, at least two.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "The merged library.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        int duplicates = 0;
        int total = 0;
        for (Path in : inputs) {
            PromptSet set = PromptSet.fromJson(in);
            for (int c = 0; c < set.size(); c++) {
                String cls = set.classes().get(c);
                List<String> list = merged.computeIfAbsent(cls, k -> new ArrayList<>());
                Set<String> keys = seen.computeIfAbsent(cls, k -> new HashSet<>());
                for (String p : set.prompts(c)) {
                    total++;
                    if (keys.add(p.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "))) {
                        list.add(p);
                    } else {
                        duplicates++;
                    }
                }
            }
        }
        PromptSet result = PromptSet.fromPrompts(merged);
        byte[] bytes = GenerationResult.libraryJson(result);
        AtomicFiles.write(out, o -> o.write(bytes));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "merged %d libraries: %d classes, %d prompts (%d repeated prompts of %d left out); wrote %s%n",
            inputs.size(), result.size(), total - duplicates, duplicates, total, out);
        stdout.flush();
        return 0;
    }
}
