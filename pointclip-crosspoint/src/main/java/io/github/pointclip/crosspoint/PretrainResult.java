package io.github.pointclip.crosspoint;

import java.util.List;

/**
 * The outcome of a pre-training run.
 *
 * @param checkpoint the trained encoder with its provenance, ready to {@link CrossPointCheckpoint#save save}
 * @param history every epoch of the run, a resumed run's earlier epochs included
 * @param millis wall time of this call in milliseconds
 */
public record PretrainResult(CrossPointCheckpoint checkpoint, List<PretrainEpoch> history, long millis) {
    /** Copies the history. */
    public PretrainResult {
        history = List.copyOf(history);
    }
}
