package io.github.pointclip.cli;

import io.github.pointclip.Pipeline;
import io.github.pointclip.prompt.PromptSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --prompts} option of the commands that take their classes from a dataset (eval, fewshot,
 * search): a prompt library {@code {"class": ["prompt", ...]}}, e.g. what {@code search prompts} writes.
 */
public final class PromptsOption {

    @Option(names = "--prompts", paramLabel = "FILE.json",
        description = "A prompt library {\"class\": [\"prompt\", ...]} covering the dataset's classes; each class's "
            + "prompts are ensembled (default: the pipeline's template).")
    Path prompts;

    /**
     * @param pipeline the pipeline (its template is used without {@code --prompts})
     * @param templateGiven whether {@code --template} was given (it does nothing with {@code --prompts})
     * @param classes the dataset's classes, in label order
     * @return the prompts, one entry per class in the dataset's order
     * @throws PointClipCli.BadInputException if {@code --prompts} and {@code --template} are both given, or the
     *     library's classes are not the dataset's
     * @throws IOException if the library cannot be read
     */
    PromptSet forClasses(Pipeline pipeline, boolean templateGiven, List<String> classes) throws IOException {
        if (prompts == null) {
            return PromptSet.fromTemplate(pipeline.template(), classes);
        }
        if (templateGiven) {
            throw new PointClipCli.BadInputException("--template does nothing with --prompts; the library has its own prompts");
        }
        PromptSet set = PromptSet.fromJson(prompts);
        List<String> missing = new ArrayList<>();
        for (String c : classes) {
            if (!set.classes().contains(c)) {
                missing.add(c);
            }
        }
        List<String> extra = new ArrayList<>();
        for (String c : set.classes()) {
            if (!classes.contains(c)) {
                extra.add(c);
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new PointClipCli.BadInputException(prompts + " does not match the dataset's " + classes.size()
                + " classes" + (missing.isEmpty() ? "" : "; missing: " + missing)
                + (extra.isEmpty() ? "" : "; not in the dataset: " + extra));
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        for (String c : classes) {
            ordered.put(c, set.prompts(set.classes().indexOf(c)));
        }
        return PromptSet.fromPrompts(ordered);
    }
}
