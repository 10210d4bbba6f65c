/**
 * PointCLIP for Java, few-shot adapter: PointCLIP's inter-view adapter, its training on cached CLIP
 * features, safetensors checkpoints (registered as a
 * {@link io.github.pointclip.encoder.FeatureAdapterLoader}, so that {@code PointClip.builder().adapter(path)}
 * finds them), and the prompt and view-weight searches.
 *
 * <p>The adapter's own autograd, layers, optimisers and matrix kernels
 * ({@code io.github.pointclip.adapter.autograd}, {@code .nn}, {@code .optim}, {@code .linalg},
 * {@code .internal}) are implementation: not exported, except to {@code io.github.pointclip.crosspoint}.
 */
@SuppressWarnings({"module", "requires-automatic"}) // qualified exports to a module built later; EJML's jars
module io.github.pointclip.adapter {
    requires transitive io.github.pointclip.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    // EJML has no descriptors: these are the automatic names derived from the file names ejml-core-*.jar and
    // ejml-fdense-*.jar. ejml-ddense is not used at run time: it splits package org.ejml.dense.row with ejml-fdense.
    requires ejml.core;
    requires ejml.fdense;
    // the SIMD product kernels, used only when the JVM resolves the incubating module
    // (--add-modules jdk.incubator.vector); without it the portable kernels run, with the same results
    requires static jdk.incubator.vector;

    exports io.github.pointclip.adapter;
    exports io.github.pointclip.adapter.checkpoint;
    exports io.github.pointclip.adapter.search;
    exports io.github.pointclip.adapter.train;

    // the autograd, layers, optimisers and kernels serve CrossPoint's encoders; not API
    exports io.github.pointclip.adapter.autograd to io.github.pointclip.crosspoint;
    exports io.github.pointclip.adapter.nn to io.github.pointclip.crosspoint;
    exports io.github.pointclip.adapter.optim to io.github.pointclip.crosspoint;
    exports io.github.pointclip.adapter.linalg to io.github.pointclip.crosspoint;

    provides io.github.pointclip.encoder.FeatureAdapterLoader
        with io.github.pointclip.adapter.checkpoint.SafeTensorsAdapterLoader;
}
