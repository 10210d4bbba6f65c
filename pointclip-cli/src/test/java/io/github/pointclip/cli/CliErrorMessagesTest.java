package io.github.pointclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.adapter.InterViewAdapter;
import io.github.pointclip.adapter.checkpoint.AdapterCheckpoint;
import io.github.pointclip.onnx.testmodels.TinyClipModels;
import io.github.pointclip.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of the command line reads when something is wrong: the options to type (never the Java
 * API's builder calls), one line, and an exit code the README lists.
 */
class CliErrorMessagesTest {

    /** A Java API call in a message: {@code ReadOptions.format}, {@code BundleOptions.tokenizer}, {@code x(true)}. */
    private static final Pattern API = Pattern.compile("[A-Z][A-Za-z]+Options\\.[a-z]|\\.[a-z][A-Za-z]*\\(true\\)|"
        + "ask for truncation|batchSize|maxPoints");

    @TempDir
    Path dir;

    @BeforeEach
    void cache() {
        System.setProperty("pointclip.cache", dir.resolve("cache").toString());
    }

    @AfterEach
    void clearCache() {
        System.clearProperty("pointclip.cache");
    }

    private Path tinyModel(boolean withTokenizer) throws IOException {
        Path m = dir.resolve(withTokenizer ? "model" : "bare");
        TinyClipModels.writeAll(m, TinyClipModels.SEED);
        m = m.resolve("openai");
        if (withTokenizer) {
            Files.copy(SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz"), m.resolve("bpe_simple_vocab_16e6.txt.gz"));
        }
        return m;
    }

    private Path xyz(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** Exit code 2, one line on stderr, nothing on stdout, every fragment present and no API call. */
    private static String assertBadInput(Object[] r, String... fragments) {
        String err = (String) r[2];
        assertEquals(2, r[0], err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertTrue(((String) r[1]).isEmpty(), (String) r[1]);
        for (String f : fragments) {
            assertTrue(err.contains(f), "'" + f + "' in: " + err);
        }
        assertFalse(API.matcher(err).find(), "no Java API call in: " + err);
        return err;
    }

    @Test
    void aNonFiniteCoordinateNamesTheOptionThatDropsIt() throws IOException {
        Path nan = xyz("nan.xyz", "0 0 0\n1 NaN 2\n0.5 0.5 0.5\n");
        assertBadInput(ProjectCommandTest.run("classify", "--input", nan.toString(), "--labels", "a,b", "--offline"),
            "nan.xyz:2", "pass --drop-non-finite to drop such points");
        assertBadInput(ProjectCommandTest.run("project", "--input", nan.toString(), "--output",
            dir.resolve("o.npy").toString()), "pass --drop-non-finite");
        // and the option does what the line says
        Object[] r = ProjectCommandTest.run("project", "--input", nan.toString(), "--output",
            dir.resolve("o.npy").toString(), "--drop-non-finite");
        assertEquals(0, r[0], (String) r[2]);
        assertTrue(((String) r[1]).contains("2 points"), (String) r[1]);
    }

    @Test
    void anUnknownExtensionListsTheKnownOnes() throws IOException {
        Path file = xyz("cloud.las", "0 0 0\n");
        String err = assertBadInput(ProjectCommandTest.run("classify", "--input", file.toString(), "--labels", "a,b"),
            "cloud.las", "unknown point-cloud file extension; known: ", ".ply", ".xyz");
        assertFalse(err.contains("(or"), err);
    }

    @Test
    void aModelWithoutTokenizerFilesSaysWhereToPutThem() throws IOException {
        Path cloud = xyz("c.xyz", "0 0 0\n1 1 1\n0.5 0.2 0.1\n");
        assertBadInput(ProjectCommandTest.run("classify", "--model", tinyModel(false).toString(), "--input",
            cloud.toString(), "--labels", "a,b", "--pipeline", "v1", "--offline"),
            "no tokenizer files found", "put one of them in the model directory");
    }

    @Test
    void aTooLongPromptNamesEachCommandsTruncationOption() throws IOException {
        Path cloud = xyz("c.xyz", "0 0 0\n1 1 1\n0.5 0.2 0.1\n");
        String longLabel = "chair " + "very ".repeat(90) + "long";
        Path model = tinyModel(true);
        assertBadInput(ProjectCommandTest.run("classify", "--model", model.toString(), "--input", cloud.toString(),
            "--labels", "lamp," + longLabel, "--pipeline", "v1", "--offline"),
            "more than the context length 77 (pass --truncate-prompts to cut it)");
        Object[] ok = ProjectCommandTest.run("classify", "--model", model.toString(), "--input", cloud.toString(),
            "--labels", "lamp," + longLabel, "--pipeline", "v1", "--offline", "--truncate-prompts");
        assertEquals(0, ok[0], (String) ok[2]);

        Path vocab = SharedData.require("clip/bpe_simple_vocab_16e6.txt.gz");
        assertBadInput(ProjectCommandTest.run("tokenize", "--vocab", vocab.toString(), longLabel),
            "more than the context length 77 (pass --truncate to cut it)");
    }

    @Test
    void theHintTranslationDropsAHintWhoseOptionTheCommandLacks() {
        String m = "d/x.xyz:3: point 2 has a non-finite coordinate (NaN, 0.0, 1.0); set ReadOptions.dropNonFinite(true) "
            + "to drop such points";
        picocli.CommandLine cli = PointClipCli.commandLine();
        assertEquals("d/x.xyz:3: point 2 has a non-finite coordinate (NaN, 0.0, 1.0)",
            PointClipCli.forCommandLine(m, cli.getSubcommands().get("eval").getCommandSpec()));
        assertEquals("d/x.xyz:3: point 2 has a non-finite coordinate (NaN, 0.0, 1.0); pass --drop-non-finite to drop "
            + "such points", PointClipCli.forCommandLine(m, cli.getSubcommands().get("classify").getCommandSpec()));
        assertEquals("x.ply:1: header declares 9 points, more than the 5 points a file may hold",
            PointClipCli.forCommandLine("x.ply:1: header declares 9 points, more than maxPoints=5; raise "
                + "ReadOptions.maxPoints to read this file", cli.getSubcommands().get("project").getCommandSpec()));
    }

    @Test
    void batchAndThreadsAreCheckedByEveryCommandNamingTheOption() throws IOException {
        Path cloud = xyz("c.xyz", "0 0 0\n1 1 1\n0.5 0.2 0.1\n");
        for (List<String> command : List.of(List.of("classify", "--input", cloud.toString(), "--labels", "a,b"),
            List.of("eval", "--data", dir.toString(), "--dataset", "folder", "--report", dir.resolve("r").toString()),
            List.of("search", "views", "--data", dir.toString(), "--dataset", "folder", "--out", "w.json"),
            List.of("fewshot", "--data", dir.toString(), "--dataset", "folder", "--out", "a.safetensors"))) {
            for (String[] bad : new String[][] {{"--batch", "0"}, {"--batch", "-3"}, {"--threads", "-1"}}) {
                String[] args = new String[command.size() + 2];
                command.toArray(args);
                args[args.length - 2] = bad[0];
                args[args.length - 1] = bad[1];
                assertBadInput(ProjectCommandTest.run(args),
                    "pointclip " + command.get(0), bad[0] + " must be ≥ " + (bad[0].equals("--batch") ? "1" : "0"),
                    "got " + bad[1]);
            }
        }
    }

    @Test
    void aTemplateIsRefusedWithAnAdapterAsAKernelIs() throws IOException {
        Path cloud = xyz("c.xyz", "0 0 0\n1 1 1\n0.5 0.2 0.1\n");
        Path adapter = dir.resolve("a.safetensors");
        AdapterCheckpoint.builder(InterViewAdapter.builder(10, 8).seed(7).build()).classNames(List.of("a", "b"))
            .pipeline("v1-fewshot").build().save(adapter);
        assertBadInput(ProjectCommandTest.run("classify", "--input", cloud.toString(), "--adapter", adapter.toString(),
            "--template", "a {}."), "--template cannot be used with --adapter: the adapter was trained with its "
            + "pipeline's template");
        assertBadInput(ProjectCommandTest.run("eval", "--data", dir.toString(), "--dataset", "folder", "--report",
            dir.resolve("r").toString(), "--adapter", adapter.toString(), "--template", "a {}."),
            "--template cannot be used with --adapter");
    }

    @Test
    void aKernelOptionWithV1IsOneSentence() throws IOException {
        Path cloud = xyz("c.xyz", "0 0 0\n1 1 1\n0.5 0.2 0.1\n");
        assertBadInput(ProjectCommandTest.run("classify", "--input", cloud.toString(), "--pipeline", "v1", "--kernel",
            "mish"), "--kernel shapes the V2 projection");
        assertBadInput(ProjectCommandTest.run("classify", "--input", cloud.toString(), "--pipeline", "v1", "--kernel",
            "mish", "--sigma", "2"), "--kernel, --sigma shape the V2 projection");
    }

    @Test
    void cudaWhereThereIsNoneIsAConfigurationErrorWithTheWayOut() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(ai.onnxruntime.OrtEnvironment.getAvailableProviders()
            .contains(ai.onnxruntime.OrtProvider.CUDA), "this machine's ONNX Runtime has CUDA");
        Path cloud = xyz("c.xyz", "0 0 0\n1 1 1\n0.5 0.2 0.1\n");
        assertBadInput(ProjectCommandTest.run("classify", "--model", tinyModel(true).toString(), "--input",
            cloud.toString(), "--labels", "a,b", "--pipeline", "v1", "--device", "cuda", "--offline"),
            "--device cuda:0: CUDA is unavailable: ", "--device auto (the default) falls back to the CPU");
    }

    @Test
    void anEmptyLabelIsRefusedWithItsPosition() throws IOException {
        Path cloud = xyz("c.xyz", "0 0 0\n1 1 1\n0.5 0.2 0.1\n");
        assertBadInput(ProjectCommandTest.run("classify", "--input", cloud.toString(), "--labels", "chair,,lamp"),
            "--labels: empty label at position 2");
        assertBadInput(ProjectCommandTest.run("classify", "--input", cloud.toString(), "--labels", "chair, "),
            "--labels: empty label at position 2");
    }

    @Test
    void projectRefusesAnOutputThatIsNotNpy() throws IOException {
        Path cloud = xyz("c.xyz", "0 0 0\n1 1 1\n0.5 0.2 0.1\n");
        Path out = dir.resolve("o.txt");
        assertBadInput(ProjectCommandTest.run("project", "--input", cloud.toString(), "--output", out.toString()),
            "--output " + out, "ending in .npy");
        assertFalse(Files.exists(out));
        Object[] r = ProjectCommandTest.run("project", "--input", cloud.toString(), "--output",
            dir.resolve("O.NPY").toString());
        assertEquals(0, r[0], (String) r[2]);
    }

    @Test
    void evalSamplesAFolderDatasetsMeshesWithItsSeed() throws IOException {
        Path root = dir.resolve("meshes");
        for (String c : List.of("chair", "lamp")) {
            Files.createDirectories(root.resolve(c));
            Files.copy(Path.of("../examples/samples/chair.obj"), root.resolve(c).resolve("m.obj"));
        }
        Path model = tinyModel(true);
        com.fasterxml.jackson.databind.JsonNode[] runs = new com.fasterxml.jackson.databind.JsonNode[3];
        String[] seeds = {"0", "0", "7"};
        for (int k = 0; k < 3; k++) {
            Object[] r = ProjectCommandTest.run("eval", "--model", model.toString(), "--data", root.toString(),
                "--dataset", "folder", "--report", dir.resolve("r" + k).toString(), "--examples", "0", "--no-cache",
                "--pipeline", "v1", "--offline", "--json", "--seed", seeds[k]);
            assertEquals(0, r[0], (String) r[2]);
            runs[k] = new com.fasterxml.jackson.databind.ObjectMapper().readTree(((String) r[1]).strip());
        }
        // the dataset's identity covers how its meshes are sampled: the same seed, the same samples
        assertEquals(runs[0].get("provenance").get("dataset_identity"), runs[1].get("provenance").get("dataset_identity"));
        assertFalse(runs[0].get("provenance").get("dataset_identity").equals(
            runs[2].get("provenance").get("dataset_identity")), "--seed 7 samples other points");
    }

    @Test
    void sampleRefusesAnOutputThatIsNotObj() throws IOException {
        Path out = dir.resolve("chair.txt");
        assertBadInput(ProjectCommandTest.run("sample", "chair", "--output", out.toString()), "--output " + out,
            "ending in .obj");
        assertFalse(Files.exists(out));
    }
}
