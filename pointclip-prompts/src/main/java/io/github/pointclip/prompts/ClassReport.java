package io.github.pointclip.prompts;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What post-processing did with one class's answers: {@code candidates = kept + Σ dropped}.
 *
 * @param className the class as given
 * @param answers completions received for it
 * @param cleaned answers whose text cleaning changed (numbering, bullets, quotes, labels, lead-ins or reasoning
 *     removed)
 * @param cleaning what each cleaning and splitting step did
 * @param candidates sentences the answers gave after cleaning and splitting
 * @param truncated candidates cut to fit the context (kept, and counted in {@code kept} unless dropped later)
 * @param dropped candidates each step dropped; every reason is present, 0 when none
 * @param kept prompts in the library
 */
public record ClassReport(String className, int answers, int cleaned, CleaningCounts cleaning, int candidates, int truncated, Map<DropReason, Integer> dropped,
                          int kept) {

    /** Copies the map, filling absent reasons with 0, and checks that the counts add up. */
    public ClassReport {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(cleaning, "cleaning");
        EnumMap<DropReason, Integer> all = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            all.put(r, dropped.getOrDefault(r, 0));
        }
        dropped = Collections.unmodifiableMap(all);
        int sum = all.values().stream().mapToInt(Integer::intValue).sum();
        if (sum + kept != candidates) {
            throw new IllegalArgumentException("class '" + className + "': " + candidates + " candidates but " + kept
                + " kept and " + sum + " dropped");
        }
    }

    /**
     * @param reason a step
     * @return how many candidates it dropped
     */
    public int dropped(DropReason reason) {
        return dropped.get(reason);
    }
}
