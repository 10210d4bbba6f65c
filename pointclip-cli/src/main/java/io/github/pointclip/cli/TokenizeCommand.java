package io.github.pointclip.cli;

import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pointclip tokenize}: CLIP BPE token ids of texts. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
    description = "Print the CLIP token ids of each text: one line of 77 space-separated ids per text.")
final class TokenizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--vocab", required = true, paramLabel = "FILE",
        description = "bpe_simple_vocab_16e6.txt.gz, vocab.json (merges.txt beside it), tokenizer.json, or a model directory.")
    Path vocab;

    @Option(names = "--truncate", description = "Cut texts longer than the context instead of failing.")
    boolean truncate;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The texts.")
    List<String> texts;

    @Override
    public Integer call() throws IOException {
        ClipTokenizer tokenizer = load(vocab);
        PrintWriter out = spec.commandLine().getOut();
        for (String text : texts) {
            long[] ids = tokenizer.tokenize(text, truncate);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < ids.length; i++) {
                line.append(i == 0 ? "" : " ").append(ids[i]);
            }
            out.println(line);
        }
        out.flush();
        return 0;
    }

    static ClipTokenizer load(Path vocab) throws IOException {
        if (Files.isDirectory(vocab)) {
            return ClipTokenizer.fromDirectory(vocab);
        }
        String name = vocab.getFileName().toString();
        if (name.endsWith(".gz")) {
            return ClipTokenizer.fromBpeVocab(vocab);
        }
        if (name.equals("vocab.json")) {
            return ClipTokenizer.fromHuggingFace(vocab, vocab.resolveSibling("merges.txt"));
        }
        if (name.endsWith(".json")) {
            return ClipTokenizer.fromTokenizerJson(vocab);
        }
        throw new PointClipCli.BadInputException("cannot tell the vocabulary format of " + vocab
            + "; expected a .txt.gz BPE file, vocab.json, tokenizer.json or a directory");
    }
}
