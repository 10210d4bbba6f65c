package io.github.pointclip.adapter.train;

import io.github.pointclip.adapter.InterViewAdapter;
import java.util.List;

/**
 * The outcome of a {@link FewShotTrainer} run.
 *
 * @param adapter the adapter holding the best epoch's weights (the last epoch's without validation)
 * @param epochs epochs run
 * @param bestEpoch the epoch whose weights were kept
 * @param bestValidationAccuracy its validation accuracy, NaN without validation
 * @param history one entry per epoch (unmodifiable)
 * @param millis wall time of the whole run
 */
public record TrainingResult(InterViewAdapter adapter, int epochs, int bestEpoch, double bestValidationAccuracy,
        List<EpochStats> history, long millis) {

    /** Copies the history. */
    public TrainingResult {
        history = List.copyOf(history);
    }
}
