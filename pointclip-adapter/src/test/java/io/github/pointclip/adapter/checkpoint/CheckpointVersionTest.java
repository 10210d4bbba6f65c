package io.github.pointclip.adapter.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.adapter.InterViewAdapter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointVersionTest {

    @Test
    void checkpointsRecordTheProjectVersion(@TempDir Path dir) throws IOException {
        String expected = System.getProperty("pointclip.expected.version");
        assertNotNull(expected, "pointclip.expected.version is not set: run this test through Maven");
        Path file = dir.resolve("adapter.safetensors");
        AdapterCheckpoint.builder(InterViewAdapter.builder(3, 8).seed(3).build())
            .classNames(List.of("chair", "lamp", "table")).seed(1).shots(16).training(10, 7, 0.5).build().save(file);
        // the safetensors header as written: 8-byte little-endian length, then JSON with __metadata__
        byte[] bytes = Files.readAllBytes(file);
        int length = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, length, StandardCharsets.UTF_8));
        assertEquals(expected, header.get("__metadata__").get("library_version").asText());
    }
}
