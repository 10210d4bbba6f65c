package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

    @TempDir
    Path dir;

    private Path touch(String relative) throws IOException {
        return put(relative, "x");
    }

    private Path put(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static ModelManifest.Builder ownManifest() {
        return ModelManifest.builder().backbone("ViT-B/16").embeddingDim(512)
            .tokenizer(TokenizerFormat.CLIP_BPE_GZ, List.of(ModelBundle.CLIP_BPE_FILE));
    }

    @Test
    void pointClipBundleWithVerifiedDigests() throws IOException {
        put("visual.onnx", "abc");
        touch("textual.onnx");
        touch(ModelBundle.CLIP_BPE_FILE);
        ownManifest().sha256("visual.onnx", ModelManifestTest.SHA_ABC).build().write(dir.resolve(ModelManifest.FILE_NAME));

        ModelBundle bundle = ModelBundle.detect(dir);
        assertEquals(BundleLayout.POINTCLIP, bundle.layout());
        assertEquals(dir.resolve("visual.onnx").toAbsolutePath(), bundle.visualModel());
        assertEquals(List.of(dir.resolve(ModelBundle.CLIP_BPE_FILE).toAbsolutePath()), bundle.tokenizerFiles());
        bundle.verify();

        put("visual.onnx", "abd");
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, bundle::verify);
        assertEquals(dir.resolve("visual.onnx").toAbsolutePath(), e.file());
        assertEquals(ModelManifestTest.SHA_ABC, e.expected());
        assertEquals(TestFiles.sha256("abd".getBytes(StandardCharsets.UTF_8)), e.actual());
    }

    @Test
    void pointClipManifestWinsAndMissingFilesAreNamed() throws IOException {
        touch("visual.onnx");
        touch("textual.onnx");
        // The public layout is present too, but the manifest is authoritative.
        touch("onnx/vision_model.onnx");
        touch("onnx/text_model.onnx");
        ownManifest().build().write(dir.resolve(ModelManifest.FILE_NAME));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.detect(dir));
        assertEquals(dir.resolve(ModelBundle.CLIP_BPE_FILE).toAbsolutePath(), e.file());
        assertTrue(e.getMessage().contains("a tokenizer file listed by the POINTCLIP bundle"), e.getMessage());
    }

    @Test
    void huggingFaceWithConfig() throws IOException {
        touch("onnx/vision_model.onnx");
        touch("onnx/text_model.onnx");
        touch("onnx/vision_model_quantized.onnx");
        touch("onnx/text_model_quantized.onnx");
        touch("vocab.json");
        touch("merges.txt");
        touch("tokenizer.json");
        // ViT-L/14 at 336 px; text_config leaves max_position_embeddings at its default (77).
        put("config.json", """
            { "projection_dim": 768, "text_config": { "hidden_size": 768 },
              "vision_config": { "hidden_size": 1024, "patch_size": 14, "image_size": 336 } }
            """);
        ModelBundle bundle = ModelBundle.detect(dir);
        assertEquals(BundleLayout.HUGGING_FACE, bundle.layout());
        ModelManifest m = bundle.manifest();
        assertEquals("ViT-L/14@336px", m.backbone());
        assertEquals(768, m.embeddingDim());
        assertEquals(336, m.imageSize());
        assertEquals(77, m.contextLength());
        assertEquals(100.0, m.logitScale());
        assertEquals(TensorSpec.of("pixel_values", TensorType.FLOAT32, -1, 3, 336, 336), m.imageInput());
        assertEquals(TensorSpec.of("image_embeds", TensorType.FLOAT32, -1, 768), m.imageOutput());
        assertEquals(TensorSpec.of("input_ids", TensorType.INT64, -1, -1), m.tokenIds());
        assertEquals("attention_mask", m.attentionMask().orElseThrow().name());
        assertEquals("text_embeds", m.textOutput().name());
        assertEquals(TokenizerFormat.VOCAB_MERGES, bundle.tokenizerFormat());
        assertEquals(List.of(dir.resolve("vocab.json").toAbsolutePath(), dir.resolve("merges.txt").toAbsolutePath()),
            bundle.tokenizerFiles());
        assertEquals(dir.resolve("onnx/vision_model.onnx").toAbsolutePath(), bundle.visualModel());

        ModelBundle quantized = ModelBundle.detect(dir, BundleOptions.builder().variant(ModelVariant.QUANTIZED).build());
        assertEquals(dir.resolve("onnx/vision_model_quantized.onnx").toAbsolutePath(), quantized.visualModel());
        assertEquals(dir.resolve("onnx/text_model_quantized.onnx").toAbsolutePath(), quantized.textualModel());

        BundleException e = assertThrows(BundleException.class,
            () -> ModelBundle.detect(dir, BundleOptions.builder().variant(ModelVariant.FP16).build()));
        assertTrue(e.getMessage().contains("need onnx/vision_model_fp16.onnx and onnx/text_model_fp16.onnx, found onnx/["
            + "text_model.onnx, text_model_quantized.onnx, vision_model.onnx, vision_model_quantized.onnx]"), e.getMessage());
    }

    @Test
    void huggingFaceWithoutConfigLeavesSizesToTheModelAndAcceptsOverrides() throws IOException {
        touch("onnx/vision_model_fp16.onnx");
        touch("onnx/text_model_fp16.onnx");
        touch("tokenizer.json");
        ModelBundle bundle = ModelBundle.detect(dir, BundleOptions.builder().variant(ModelVariant.FP16).build());
        ModelManifest m = bundle.manifest();
        assertEquals("unknown", m.backbone());
        assertEquals(TensorSpec.of("pixel_values", null, -1, 3, -1, -1), m.imageInput(), "fp16 type comes from the model");
        assertEquals(TensorSpec.of("image_embeds", null, -1, -1), m.imageOutput());
        assertEquals(TokenizerFormat.TOKENIZER_JSON, bundle.tokenizerFormat());

        ModelManifest overridden = ModelBundle.detect(dir, BundleOptions.builder().variant(ModelVariant.FP16)
            .backbone("ViT-B/32").embeddingDim(512).imageSize(224).logitScale(50).build()).manifest();
        assertEquals("ViT-B/32", overridden.backbone());
        assertArrayEquals(new long[] {-1, 3, 224, 224}, overridden.imageInput().shape());
        assertArrayEquals(new long[] {-1, 512}, overridden.textOutput().shape());
        assertEquals(50.0, overridden.logitScale());
    }

    @Test
    void combinedHuggingFaceModelIsExplained() throws IOException {
        touch("onnx/model.onnx");
        touch("tokenizer.json");
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.detect(dir));
        assertTrue(e.getMessage().contains("onnx/model.onnx is the combined CLIP model"), e.getMessage());
    }

    @Test
    void openAiFlatWithBpeVocabulary() throws IOException {
        touch("visual.onnx");
        touch("textual.onnx");
        touch(ModelBundle.CLIP_BPE_FILE);
        ModelBundle bundle = ModelBundle.detect(dir);
        assertEquals(BundleLayout.OPENAI, bundle.layout());
        assertEquals(TokenizerFormat.CLIP_BPE_GZ, bundle.tokenizerFormat());
        ModelManifest m = bundle.manifest();
        assertNull(m.imageInput().name(), "any single input");
        assertNull(m.tokenIds().type(), "int32 or int64, whatever the export used");
        assertEquals(77, m.contextLength());
    }

    @Test
    void aDtypeIsRefusedWhereTheLayoutHasNoVariants() throws IOException {
        touch("visual.onnx");
        touch("textual.onnx");
        touch(ModelBundle.CLIP_BPE_FILE);
        BundleOptions fp16 = BundleOptions.builder().variant(ModelVariant.FP16).build();
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.detect(dir, fp16));
        String m = e.getMessage();
        assertTrue(m.startsWith(dir.toAbsolutePath() + ": dtype fp16 asked for"), m);
        assertTrue(m.contains("an OpenAI split export (visual.onnx, textual.onnx)")
            && m.contains("dtypes apply only to Hugging Face-layout exports (onnx/vision_model_fp16.onnx"), m);
        assertTrue(!m.contains("\n"), m);
        // fp32 is what the split export is: asking for it explicitly is fine
        assertEquals(BundleLayout.OPENAI, ModelBundle.detect(dir,
            BundleOptions.builder().variant(ModelVariant.fromDtype("fp32")).build()).layout());

        ownManifest().build().write(dir.resolve(ModelManifest.FILE_NAME));
        BundleOptions q8 = BundleOptions.builder().variant(ModelVariant.fromDtype("q8")).build();
        e = assertThrows(BundleException.class, () -> ModelBundle.detect(dir, q8));
        assertTrue(e.getMessage().contains("dtype q8 asked for, but this directory is a PointCLIP bundle ("
            + ModelManifest.FILE_NAME + ")") && e.getMessage().contains("Hugging Face-layout"), e.getMessage());
        assertEquals(BundleLayout.POINTCLIP, ModelBundle.detect(dir).layout());
    }

    @Test
    void openAiNestedLikeImmich() throws IOException {
        touch("visual/model.onnx");
        touch("textual/model.onnx");
        touch("textual/tokenizer.json");
        put("config.json", """
            { "embed_dim": 512, "vision_cfg": { "image_size": 224, "layers": 12, "width": 768, "patch_size": 16 },
              "text_cfg": { "context_length": 77, "vocab_size": 49408, "width": 512 } }
            """);
        ModelBundle bundle = ModelBundle.detect(dir);
        assertEquals(BundleLayout.OPENAI, bundle.layout());
        assertEquals("ViT-B/16", bundle.manifest().backbone());
        assertEquals(dir.resolve("visual/model.onnx").toAbsolutePath(), bundle.visualModel());
        assertEquals(List.of(dir.resolve("textual/tokenizer.json").toAbsolutePath()), bundle.tokenizerFiles());
        assertArrayEquals(new long[] {-1, 77}, bundle.manifest().tokenIds().shape());
        assertArrayEquals(new long[] {-1, 512}, bundle.manifest().imageOutput().shape());
    }

    @Test
    void openAiWithoutTokenizerSaysWhatWasLookedFor() throws IOException {
        touch("visual.onnx");
        touch("textual.onnx");
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.detect(dir));
        assertTrue(e.getMessage().contains("no tokenizer files found; looked for " + ModelBundle.CLIP_BPE_FILE), e.getMessage());

        Path vocab = put("elsewhere/" + ModelBundle.CLIP_BPE_FILE, "x");
        ModelBundle bundle = ModelBundle.detect(dir,
            BundleOptions.builder().tokenizer(TokenizerFormat.CLIP_BPE_GZ, List.of(vocab)).build());
        assertEquals(List.of(vocab.toAbsolutePath()), bundle.tokenizerFiles());
    }

    @Test
    void nothingFoundListsTheLayouts() throws IOException {
        touch("visual.onnx");
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.detect(dir));
        String msg = e.getMessage();
        assertTrue(msg.contains("no model bundle found; looked for: pointclip-model.json"), msg);
        assertTrue(msg.contains("onnx/vision_model.onnx + onnx/text_model.onnx"), msg);
        assertTrue(msg.contains("visual/model.onnx + textual/model.onnx"), msg);
        assertTrue(msg.endsWith("found visual.onnx but not textual.onnx"), msg);

        BundleException missing = assertThrows(BundleException.class, () -> ModelBundle.detect(dir.resolve("nope")));
        assertTrue(missing.getMessage().endsWith("no such directory"), missing.getMessage());
    }

    @Test
    void malformedConfigIsReportedWithField() throws IOException {
        touch("onnx/vision_model.onnx");
        touch("onnx/text_model.onnx");
        touch("tokenizer.json");
        put("config.json", "{ \"projection_dim\": \"big\" }");
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.detect(dir));
        assertTrue(e.getMessage().contains("config.json: field 'projection_dim': expected an integer"), e.getMessage());
    }
}
