package io.github.pointclip.bench;

import io.github.pointclip.onnx.tokenizer.ClipTokenizer;
import io.github.pointclip.prompt.ClassNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CLIP BPE tokenization of 1000 prompts (25 phrasings × the 40 ModelNet40 classes) into
 * [1000, 77] ids: {@code warm} reuses one tokenizer (its word cache is hot after warm-up, the
 * steady state of a long-running service), {@code cold} builds a fresh one per invocation from the
 * already-parsed vocabulary file so every word goes through the BPE merges.
 *
 * <p>Run: {@code java -jar examples/target/benchmarks.jar TokenizerBenchmark -p vocab=PATH} where
 * PATH is {@code bpe_simple_vocab_16e6.txt.gz} (default: {@code ../shared/clip/…}, the test data
 * beside a development checkout).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenizerBenchmark {

    private static final String[] PHRASINGS = {
        "point cloud depth map of a {}.", "a photo of a {}.", "a grey depth image of a {}.",
        "a rendering of a small {}.", "a 3D model of a {}.", "a sketch of a big {}.",
        "an obscure depth map of a {}.", "a silhouette of the {}.", "a blurry photo of a {}.",
        "a jpeg corrupted depth map of a {}.", "a cropped image of a {}.", "a dark photo of the {}.",
        "a low resolution depth map of a {}.", "a close-up of a {}.", "a plastic {} model.",
        "a CAD model of a {}.", "the point cloud of a {}.", "a projected view of a {}.",
        "a monochrome picture of a {}.", "a toy {}.", "an origami {}.", "a good depth map of a {}.",
        "a scan of a {} from a LiDAR sensor.", "a {} in a digital twin.", "a rendered {} seen from above.",
    };

    /** The BPE vocabulary file. */
    @Param({"../shared/clip/bpe_simple_vocab_16e6.txt.gz"})
    public String vocab;

    private Path vocabFile;
    private ClipTokenizer warm;
    private List<String> prompts;

    /** Loads the vocabulary and builds the prompts. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        vocabFile = Path.of(vocab);
        if (!Files.isRegularFile(vocabFile)) {
            throw new IllegalStateException("vocabulary " + vocabFile.toAbsolutePath()
                    + " not found; pass -p vocab=PATH/TO/bpe_simple_vocab_16e6.txt.gz");
        }
        warm = ClipTokenizer.fromBpeVocab(vocabFile);
        prompts = new ArrayList<>();
        for (String phrasing : PHRASINGS) {
            for (String name : ClassNames.MODELNET40) {
                prompts.add(phrasing.replace("{}", name));
            }
        }
    }

    /** @return ids of 1000 prompts with a hot word cache */
    @Benchmark
    public long[] warm() {
        return warm.tokenize(prompts, false);
    }

    /** @return ids of 1000 prompts through a fresh tokenizer (vocabulary file parse included) */
    @Benchmark
    public long[] coldIncludingVocabularyLoad() {
        try {
            return ClipTokenizer.fromBpeVocab(vocabFile).tokenize(prompts, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
