package io.github.pointclip.cli;

import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import io.github.pointclip.prompt.PromptSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pointclip prompts stats FILE.json}: prompts per class, duplicates (ignoring case and whitespace), and
 * the token lengths with the model's tokenizer: per class and as a histogram, with the prompts that do not fit
 * the context counted.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Prompts per class, duplicates and token lengths of a prompt library.")
final class PromptsStatsCommand implements Callable<Integer> {

    /** Histogram bins: upper bounds in tokens (start and end of text included). */
    static final int[] BINS = {8, 16, 24, 32, 48, 64, 77};

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "FILE.json", description = "A prompt library {\"class\": [\"prompt\", ...]}.")
    Path file;

    @Option(names = "--vocab", paramLabel = "FILE",
        description = "The tokenizer vocabulary to count tokens with, instead of the model's.")
    Path vocab;

    @Option(names = "--no-token-check", description = "Leave the token lengths out (then no model is needed).")
    boolean noTokenCheck;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PromptsTokenizer.refuseEncoderOptions(spec);
        if (noTokenCheck) {
            PromptsTokenizer.refuseWithoutTokenCheck(spec);
        }
        PromptSet set = PromptSet.fromJson(file);
        ClipTokenizer tokenizer = noTokenCheck ? null
            : PromptsTokenizer.load(model, vocab, spec.commandLine().getErr(), "--no-token-check to leave token lengths out");
        int context = tokenizer == null ? 0 : tokenizer.contextLength();
        int width = Math.max(5, set.classes().stream().mapToInt(String::length).max().orElse(5));
        out.printf(Locale.ROOT, "%s: %d classes, %d prompts%n", file, set.size(),
            set.classes().stream().mapToInt(c -> set.prompts(set.classes().indexOf(c)).size()).sum());
        out.printf(Locale.ROOT, "%-" + width + "s %7s %10s%s%n", "class", "prompts", "duplicates",
            tokenizer == null ? "" : String.format(Locale.ROOT, " %8s  %s", "too long", "tokens min/median/max"));
        List<Integer> all = new ArrayList<>();
        int duplicates = 0;
        int tooLong = 0;
        for (int c = 0; c < set.size(); c++) {
            List<String> prompts = set.prompts(c);
            Set<String> seen = new HashSet<>();
            int dup = 0;
            for (String p : prompts) {
                if (!seen.add(p.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "))) {
                    dup++;
                }
            }
            duplicates += dup;
            String tokens = "";
            if (tokenizer != null) {
                int[] lengths = prompts.stream().mapToInt(p -> tokenizer.encode(p).length + 2).sorted().toArray();
                int over = (int) Arrays.stream(lengths).filter(l -> l > context).count();
                tooLong += over;
                Arrays.stream(lengths).forEach(all::add);
                tokens = String.format(Locale.ROOT, " %8d  %d/%d/%d", over, lengths[0], lengths[lengths.length / 2],
                    lengths[lengths.length - 1]);
            }
            out.printf(Locale.ROOT, "%-" + width + "s %7d %10d%s%n", set.classes().get(c), prompts.size(), dup, tokens);
        }
        out.printf(Locale.ROOT, "duplicates: %d%n", duplicates);
        if (tokenizer != null) {
            out.printf(Locale.ROOT, "token lengths (start and end of text included; the context is %d):%n", context);
            int[] counts = histogram(all, context);
            int most = Arrays.stream(counts).max().orElse(1);
            for (int b = 0; b < counts.length; b++) {
                String label = b == counts.length - 1 ? ">" + context
                    : (b == 0 ? 1 : bounds(context)[b - 1] + 1) + "-" + bounds(context)[b];
                out.printf(Locale.ROOT, "  %7s %6d %s%n", label, counts[b], "#".repeat(counts[b] == 0 ? 0
                    : Math.max(1, 40 * counts[b] / Math.max(1, most))));
            }
            out.printf(Locale.ROOT, "too long for the context: %d%s%n", tooLong, tooLong == 0 ? ""
                : " (eval and search refuse them unless --truncate-prompts is given)");
        }
        out.flush();
        return 0;
    }

    /** Upper bounds of the bins below the context, then the context itself. */
    static int[] bounds(int context) {
        return Arrays.stream(BINS).map(b -> Math.min(b, context)).distinct().filter(b -> b <= context).toArray();
    }

    /** Counts per bin of {@link #bounds}, and a last bin for lengths over the context. */
    static int[] histogram(List<Integer> lengths, int context) {
        int[] bounds = bounds(context);
        int[] counts = new int[bounds.length + 1];
        for (int l : lengths) {
            int b = 0;
            while (b < bounds.length && l > bounds[b]) {
                b++;
            }
            counts[b]++;
        }
        return counts;
    }
}
