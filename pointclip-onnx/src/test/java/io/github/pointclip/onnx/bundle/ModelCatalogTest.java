package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.encoder.Backbone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {

    /** transformers.js' DEFAULT_DTYPE_SUFFIX_MAPPING (src/utils/dtypes.js), written out independently. */
    private static final Map<String, String> TRANSFORMERS_JS = Map.of("fp32", "", "fp16", "_fp16", "int8", "_int8",
        "uint8", "_uint8", "q8", "_quantized", "q4", "_q4", "q4f16", "_q4f16", "bnb4", "_bnb4");

    @Test
    void dtypesAreNamedAndSuffixedAsTransformersJsDoes() {
        assertEquals(TRANSFORMERS_JS.size(), ModelVariant.values().length);
        TRANSFORMERS_JS.forEach((dtype, suffix) -> {
            ModelVariant v = ModelVariant.fromDtype(dtype);
            assertEquals(dtype, v.dtype());
            assertEquals(suffix, v.suffix());
        });
        assertEquals(ModelVariant.QUANTIZED, ModelVariant.fromDtype(" Q8 "));
        assertEquals(ModelVariant.QUANTIZED, ModelVariant.fromDtype("quantized"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelVariant.fromDtype("fp8"));
        assertTrue(e.getMessage().contains("known (as transformers.js names them): fp32, q8, fp16"), e.getMessage());
    }

    @Test
    void entriesAreFoundByAnySpellingOfTheirName() {
        for (String name : List.of("ViT-B/16", "VIT_B16", "vit-b-16", "vitb16")) {
            assertEquals("Xenova/clip-vit-base-patch16", ModelCatalog.find(name).orElseThrow().repository(), name);
        }
        assertEquals(Backbone.VIT_B32, ModelCatalog.require("ViT-B/32").backbone());
        assertTrue(ModelCatalog.find("ViT-L/14").isEmpty());
        assertTrue(ModelCatalog.find(null).isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCatalog.require("RN50"));
        assertTrue(e.getMessage().contains("known: ViT-B/32, ViT-B/16") && e.getMessage().contains("docs/models.md"));
    }

    @Test
    void aVariantNamesItsFilesAndCacheEntry() {
        ModelCatalog.Entry b16 = ModelCatalog.require("ViT-B/16");
        assertEquals(List.of("onnx/vision_model_quantized.onnx", "onnx/text_model_quantized.onnx", "config.json",
            "vocab.json", "merges.txt"), b16.files(ModelVariant.QUANTIZED));
        assertEquals("ViT-B-16", b16.directoryName(ModelVariant.DEFAULT));
        assertEquals("ViT-B-16-q8", b16.directoryName(ModelVariant.QUANTIZED));
        assertEquals(ModelVariant.DEFAULT, b16.dtypes().get(0));
    }

    @Test
    void aMalformedDownloadRecordNamesTheField(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(DownloadRecord.FILE_NAME), "{\"model\": \"ViT-B/16\", \"hub\": \"h\", \"repository\": "
            + "\"r\", \"revision\": \"main\", \"commit\": null, \"dtype\": \"fp32\", \"files\": [{\"path\": \"config.json\", "
            + "\"sha256\": \"abc\", \"size\": 3, \"checkedBy\": \"hub\", \"modified\": 0}]}");
        BundleException e = assertThrows(BundleException.class, () -> DownloadRecord.read(dir));
        assertTrue(e.getMessage().contains("files[0].sha256"), e.getMessage());
    }
}
