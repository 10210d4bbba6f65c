package io.github.pointclip.cli;

import io.github.pointclip.encoder.Backbone;
import io.github.pointclip.onnx.bundle.ModelBundle;
import io.github.pointclip.onnx.bundle.ModelCatalog;
import io.github.pointclip.onnx.bundle.ModelNotFoundException;
import io.github.pointclip.onnx.bundle.ModelResolver;
import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import io.github.pointclip.prompts.TokenCounter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The CLIP tokenizer the {@code prompts} commands count tokens with: {@code --vocab FILE}, else the vocabulary
 * of the model {@link ModelOptions} names ({@code --model DIR}, {@code -Dpointclip.model}/{@code POINTCLIP_MODEL},
 * or the cache entry of {@code --backbone}, downloaded on first use like every command that runs the model).
 * Only the tokenizer files are read: no ONNX session is opened.
 */
final class PromptsTokenizer {

    private PromptsTokenizer() {
    }

    /**
     * Refuses the options of {@link ModelOptions} that only matter to a command running the encoders: they would
     * do nothing here, since only the model's tokenizer is read.
     *
     * @param spec the command
     * @throws PointClipCli.BadInputException naming the first such option given
     */
    static void refuseEncoderOptions(picocli.CommandLine.Model.CommandSpec spec) {
        for (String option : new String[] {"--device", "--threads", "--batch"}) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new PointClipCli.BadInputException(option + " does nothing in '" + spec.qualifiedName().replaceFirst(
                    "^pointclip ", "") + "': only the model's tokenizer is read, no encoder runs");
            }
        }
    }

    /**
     * Refuses the tokenizer options with {@code --no-token-check}, where they would do nothing.
     *
     * @param spec the command
     * @throws PointClipCli.BadInputException naming the first such option given
     */
    static void refuseWithoutTokenCheck(picocli.CommandLine.Model.CommandSpec spec) {
        for (String option : new String[] {"--model", "--backbone", "--dtype", "--offline", "--vocab", "--truncate-prompts"}) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new PointClipCli.BadInputException(option + " does nothing with --no-token-check (no tokenizer is read)");
            }
        }
    }

    /**
     * @param tokenizer a tokenizer
     * @return its count of a text: BPE tokens plus start and end of text
     */
    static TokenCounter counter(ClipTokenizer tokenizer) {
        return text -> tokenizer.encode(text).length + 2;
    }

    /**
     * @param model the model options
     * @param vocab {@code --vocab}, or null
     * @param err where a download draws its progress
     * @param fallback what to say when no model is found: how to do without the tokenizer
     * @return the tokenizer, with the model's context length
     * @throws PointClipCli.BadInputException when no model or vocabulary is found (one line, with the way out)
     * @throws IOException when the model's files cannot be read
     */
    static ClipTokenizer load(ModelOptions model, Path vocab, PrintWriter err, String fallback) throws IOException {
        if (vocab != null) {
            if (model.model != null || model.backbone != null) {
                throw new PointClipCli.BadInputException("--vocab and --model/--backbone both name the tokenizer; give one");
            }
            return TokenizeCommand.load(vocab);
        }
        Backbone b = model.backbone();
        ModelResolver.Builder resolver = ModelResolver.builder().modelPath(model.model).dtype(model.variant());
        if (b != null && ModelCatalog.find(b.displayName()).isPresent()) {
            resolver.modelName(b.displayName());
        }
        if (model.offline) {
            resolver.offline(true);
        }
        ModelBundle bundle;
        try (ProgressBar bar = new ProgressBar(err, "download", 0, "MB")) {
            bundle = resolver.listener(ModelOptions.progress(bar)).build().resolve();
        } catch (ModelNotFoundException e) {
            throw new PointClipCli.BadInputException("no CLIP model to count tokens with: pass --model DIR or --backbone "
                + "NAME (the model you will run the prompts with) or --vocab FILE (its tokenizer vocabulary)"
                + (fallback == null ? "" : ", or " + fallback));
        }
        return bundle.readTokenizer().withContextLength(bundle.manifest().contextLength());
    }
}
