package io.github.pointclip.prompts;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a generation run did: requests sent and read from the cache, and per class what post-processing kept
 * and dropped.
 *
 * @param classes one report per class, in the order of the class names given
 * @param requests requests sent to the server (a cached response is not a request; retries are not counted)
 * @param cacheHits responses read from the cache
 */
public record GenerationReport(List<ClassReport> classes, int requests, int cacheHits) {

    /** Copies the list. */
    public GenerationReport {
        classes = List.copyOf(classes);
    }

    /** @return completions received, all classes */
    public int answers() {
        return classes.stream().mapToInt(ClassReport::answers).sum();
    }

    /** @return answers whose text cleaning changed, all classes */
    public int cleaned() {
        return classes.stream().mapToInt(ClassReport::cleaned).sum();
    }

    /** @return what each cleaning and splitting step did, all classes */
    public CleaningCounts cleaning() {
        return classes.stream().map(ClassReport::cleaning).reduce(CleaningCounts.NONE, CleaningCounts::plus);
    }

    /** @return candidate sentences, all classes */
    public int candidates() {
        return classes.stream().mapToInt(ClassReport::candidates).sum();
    }

    /** @return prompts kept, all classes */
    public int kept() {
        return classes.stream().mapToInt(ClassReport::kept).sum();
    }

    /** @return candidates cut to fit the context, all classes */
    public int truncated() {
        return classes.stream().mapToInt(ClassReport::truncated).sum();
    }

    /** @return what each step dropped, all classes; every reason present */
    public Map<DropReason, Integer> dropped() {
        Map<DropReason, Integer> sum = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            sum.put(r, classes.stream().mapToInt(c -> c.dropped(r)).sum());
        }
        return sum;
    }
}
