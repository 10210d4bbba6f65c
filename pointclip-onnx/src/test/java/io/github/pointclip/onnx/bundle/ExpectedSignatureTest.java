package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedSignatureTest {

    private static final ModelManifest HF = ModelManifest.builder().backbone("ViT-B/32").embeddingDim(512)
        .attentionMask(TensorSpec.of("attention_mask", TensorType.INT64, -1, 77))
        .tokenizer(TokenizerFormat.TOKENIZER_JSON, List.of("tokenizer.json")).build();

    private static TensorSpec t(String name, TensorType type, long... shape) {
        return TensorSpec.of(name, type, shape);
    }

    @Test
    void matchingVisualModelBindsByName() throws ModelSignatureException {
        ModelSignature actual = ModelSignature.of(
            List.of(t("pixel_values", TensorType.FLOAT32, -1, 3, 224, 224)),
            List.of(t("image_embeds", TensorType.FLOAT32, -1, 512), t("last_hidden_state", TensorType.FLOAT32, -1, 50, 768)));
        SignatureBinding b = HF.visualSignature().check(Path.of("v.onnx"), actual);
        assertEquals("pixel_values", b.get(TensorRole.IMAGE).name());
        assertEquals("image_embeds", b.get(TensorRole.IMAGE_EMBEDDING).name());
    }

    @Test
    void fixedBatchAndDynamicDimsAreCompatible() {
        // A model exported with batch 1 and a dynamic embedding size still fits [-1, 3, 224, 224] / [-1, 512].
        ModelSignature actual = ModelSignature.of(
            List.of(t("pixel_values", TensorType.FLOAT32, 1, 3, 224, 224)),
            List.of(t("image_embeds", TensorType.FLOAT32, 1, -1)));
        assertEquals(List.of(), HF.visualSignature().problems(actual));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ModelSignature actual = ModelSignature.of(
            List.of(t("ids", TensorType.INT64, -1, 77), t("attention_mask", TensorType.INT32, -1, 77)),
            List.of(t("text_embeds", TensorType.FLOAT16, -1, 768)));
        ModelSignatureException e = assertThrows(ModelSignatureException.class,
            () -> HF.textualSignature().check(Path.of("text.onnx"), actual));
        List<String> p = e.problems();
        assertEquals(5, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("missing input 'input_ids' (the token-id input); the model's inputs are: 'ids' int64[-1,77]"),
            p.get(0));
        assertEquals("input 'attention_mask' (the attention-mask input): expected type int64, found int32", p.get(1));
        assertTrue(p.get(2).startsWith("unexpected input 'ids' int64[-1,77]"), p.get(2));
        assertTrue(p.contains("output 'text_embeds' (the text embedding output): expected type float32, found float16"), p.toString());
        assertTrue(p.contains("output 'text_embeds' (the text embedding output): expected shape [-1,512], found [-1,768]"
            + " (-1 means any size)"), p.toString());
        assertTrue(e.getMessage().startsWith("text.onnx: model does not have the expected signature"), e.getMessage());
    }

    @Test
    void shapeMismatchIsReported() {
        ModelSignature actual = ModelSignature.of(
            List.of(t("pixel_values", TensorType.FLOAT32, -1, 3, 336, 336)),
            List.of(t("image_embeds", TensorType.FLOAT32, -1, 512, 1)));
        List<String> p = HF.visualSignature().problems(actual);
        assertEquals(List.of(
            "input 'pixel_values' (the image input): expected shape [-1,3,224,224], found [-1,3,336,336] (-1 means any size)",
            "output 'image_embeds' (the image embedding output): expected shape [-1,512], found [-1,512,1] (-1 means any size)"),
            p);
    }

    @Test
    void optionalAttentionMaskMayBeAbsent() throws ModelSignatureException {
        ModelSignature actual = ModelSignature.of(
            List.of(t("input_ids", TensorType.INT64, -1, 77)),
            List.of(t("text_embeds", TensorType.FLOAT32, -1, 512)));
        SignatureBinding b = HF.textualSignature().check(null, actual);
        assertTrue(b.find(TensorRole.ATTENTION_MASK).isEmpty());
        assertEquals("input_ids", b.get(TensorRole.TOKEN_IDS).name());
        assertThrows(IllegalArgumentException.class, () -> b.get(TensorRole.ATTENTION_MASK));
    }

    @Test
    void unnamedExpectationTakesTheOnlyRemainingTensor() throws ModelSignatureException {
        ExpectedSignature openAi = ExpectedSignature.of(
            List.of(new ExpectedSignature.ExpectedTensor(TensorRole.TOKEN_IDS, TensorSpec.of(null, null, -1, 77), false),
                new ExpectedSignature.ExpectedTensor(TensorRole.ATTENTION_MASK, TensorSpec.named("attention_mask"), true)),
            List.of(new ExpectedSignature.ExpectedTensor(TensorRole.TEXT_EMBEDDING, TensorSpec.of(null, null, -1, 512), false)));
        SignatureBinding immich = openAi.check(null, ModelSignature.of(
            List.of(t("text", TensorType.INT32, 1, 77)), List.of(t("embedding", TensorType.FLOAT32, 1, 512))));
        assertEquals(t("text", TensorType.INT32, 1, 77), immich.get(TensorRole.TOKEN_IDS));
        assertEquals("embedding", immich.get(TensorRole.TEXT_EMBEDDING).name());

        SignatureBinding withMask = openAi.check(null, ModelSignature.of(
            List.of(t("attention_mask", TensorType.INT64, -1, 77), t("input_ids", TensorType.INT64, -1, 77)),
            List.of(t("output", TensorType.FLOAT32, -1, 512))));
        assertEquals("input_ids", withMask.get(TensorRole.TOKEN_IDS).name());
        assertEquals("attention_mask", withMask.get(TensorRole.ATTENTION_MASK).name());

        List<String> ambiguous = openAi.problems(ModelSignature.of(
            List.of(t("a", TensorType.INT64, -1, 77), t("b", TensorType.INT64, -1, 77)),
            List.of(t("x", TensorType.FLOAT32, -1, 512), t("y", TensorType.FLOAT32, -1, 512))));
        assertEquals(2, ambiguous.size(), ambiguous.toString());
        assertTrue(ambiguous.get(0).startsWith("cannot tell which input is the token-id input"), ambiguous.get(0));
        assertTrue(ambiguous.get(1).startsWith("cannot tell which output is the text embedding output"), ambiguous.get(1));
    }

    @Test
    void actualSignatureRejectsIncompleteSpecs() {
        assertThrows(IllegalArgumentException.class,
            () -> ModelSignature.of(List.of(TensorSpec.named("x")), List.of()));
        assertThrows(IllegalArgumentException.class, () -> ModelSignature.of(
            List.of(t("x", TensorType.FLOAT32, 1), t("x", TensorType.FLOAT32, 1)), List.of()));
        assertFalse(ModelSignature.of(List.of(), List.of()).input("x").isPresent());
    }
}
