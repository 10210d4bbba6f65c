package io.github.pointclip.eval;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an evaluation ran: enough to reproduce it and to tell whether it matches a published
 * setting. Immutable.
 *
 * @param libraryVersion PointCLIP for Java's version, or {@code development} when unknown
 * @param modelId the CLIP model's id (a hash over its weights)
 * @param backbone the backbone's display name (e.g. {@code ViT-B/16}), or null when the model does not say
 * @param device where the encoders ran, e.g. {@code cpu}
 * @param pipeline the pipeline's name, e.g. {@code v2}
 * @param projector the projector's name
 * @param projectorParameters the projector's parameters
 * @param viewWeights the pipeline's view weights
 * @param promptsHash SHA-256 (first 16 hex digits) over the class prompts
 * @param dataset the dataset's name, e.g. {@code modelnet40/test}
 * @param split the split, e.g. {@code test}
 * @param firstPoints points kept per cloud (the first N), 0 for all
 * @param samples samples evaluated
 * @param datasetSize samples in the dataset (more than {@code samples} under a limit)
 * @param adapter the few-shot adapter (e.g. its file name), or null for zero-shot
 * @param shots shots per class the adapter was trained with, 0 for zero-shot or unknown
 * @param datasetIdentity what the evaluated samples are, by content rather than by name: SHA-256
 *     over every evaluated sample's {@link io.github.pointclip.dataset.Dataset#contentIdentity(int)}
 *     (its absolute file path, size and modification time, or a hash of its points) and label; two
 *     datasets with the same name in different places have different identities
 */
public record Provenance(String libraryVersion, String modelId, String backbone, String device, String pipeline,
    String projector, Map<String, String> projectorParameters, List<Float> viewWeights, String promptsHash,
    String dataset, String split, int firstPoints, int samples, int datasetSize, String adapter, int shots,
    String datasetIdentity) {

    /**
     * Validates and copies the components.
     *
     * @param libraryVersion library version
     * @param modelId model id
     * @param backbone backbone, may be null
     * @param device device, may be null
     * @param pipeline pipeline name
     * @param projector projector name
     * @param projectorParameters projector parameters
     * @param viewWeights view weights
     * @param promptsHash prompt hash
     * @param dataset dataset name
     * @param split split
     * @param firstPoints first N points, 0 for all
     * @param samples samples evaluated
     * @param datasetSize dataset size
     * @param adapter adapter, may be null
     * @param shots shots, 0 for zero-shot
     * @param datasetIdentity content identity of the evaluated samples
     */
    public Provenance {
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(projector, "projector");
        projectorParameters = Map.copyOf(projectorParameters);
        viewWeights = List.copyOf(viewWeights);
        Objects.requireNonNull(promptsHash, "promptsHash");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(datasetIdentity, "datasetIdentity");
    }

    /**
     * @return the benchmark the dataset belongs to: its name up to the first {@code /}, e.g.
     *     {@code modelnet40} or {@code scanobjectnn-pb_t50_rs}
     */
    public String datasetFamily() {
        int slash = dataset.indexOf('/');
        return slash < 0 ? dataset : dataset.substring(0, slash);
    }

    /** @return whether the whole dataset was evaluated (no limit, not a subset) */
    public boolean wholeDataset() {
        return samples == datasetSize && dataset.equals(datasetFamily() + "/" + split);
    }
}
