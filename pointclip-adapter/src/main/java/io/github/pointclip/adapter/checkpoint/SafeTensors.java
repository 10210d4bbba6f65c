package io.github.pointclip.adapter.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.adapter.StateTensor;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.JsonMessages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an unsigned
 * 64-bit little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"__metadata__": {"key": "value"}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [b, e]}}}),
 * then the tensors' bytes, little-endian, row-major, offsets relative to the end of the header. Only
 * {@code F32} tensors are written and read. Writes are atomic ({@code AtomicFiles}); reads check every offset,
 * shape and the file length, so a truncated or corrupt file gives a {@link CheckpointException} naming the file
 * and the problem, never a wrong tensor.
 */
public final class SafeTensors {
    /** Largest header accepted on reading (the format's own limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;
    private static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {
    }

    /**
     * The content of a safetensors file.
     *
     * @param tensors tensors by name, in file order (unmodifiable)
     * @param metadata the {@code __metadata__} strings (unmodifiable, empty when absent)
     */
    public record Contents(Map<String, StateTensor> tensors, Map<String, String> metadata) {
        /** Copies both maps. */
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /**
     * Writes tensors and metadata atomically: a reader sees the old file or the complete new one.
     *
     * @param file the target, replaced if it exists; parent folders are created
     * @param tensors tensors by name, written in map order
     * @param metadata string metadata
     * @throws IOException if writing fails (the target is then unchanged)
     */
    public static void write(Path file, Map<String, StateTensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, StateTensor> e : tensors.entrySet()) {
            if (METADATA.equals(e.getKey())) {
                throw new IllegalArgumentException("'" + METADATA + "' is not a tensor name");
            }
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + 4L * e.getValue().size();
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // pad the header with spaces to a multiple of 8, so tensors start aligned (as the reference writer does)
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        AtomicFiles.write(file, out -> {
            out.write(head.array());
            for (StateTensor t : tensors.values()) {
                float[] data = t.data();
                ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(data);
                out.write(b.array());
            }
        });
    }

    /**
     * Reads a whole file.
     *
     * @param file a safetensors file
     * @return its tensors and metadata
     * @throws CheckpointException if the file is truncated, corrupt, or holds a dtype other than F32
     * @throws IOException if it cannot be read
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file, "truncated: " + size + " bytes, not even a header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLength = lenBuf.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER) {
                throw new CheckpointException(file, "not a safetensors file: header length " + headerLength);
            }
            if (8 + headerLength > size) {
                throw new CheckpointException(file, "truncated: header of " + headerLength + " bytes but the file has "
                        + size);
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBuf, 8);
            JsonNode header;
            try {
                header = JSON.readTree(headerBuf.array());
            } catch (JsonProcessingException e) {
                throw new CheckpointException(file, "corrupt header: " + JsonMessages.of(e), e);
            }
            if (header == null || !header.isObject()) {
                throw new CheckpointException(file, "corrupt header: not a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (METADATA.equals(f.getKey())) {
                    if (!f.getValue().isObject()) {
                        throw new CheckpointException(file, "corrupt header: " + METADATA + " is not an object");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> m = f.getValue().fields(); m.hasNext();) {
                        Map.Entry<String, JsonNode> kv = m.next();
                        if (!kv.getValue().isTextual()) {
                            throw new CheckpointException(file, "corrupt header: metadata '" + kv.getKey()
                                    + "' is not a string");
                        }
                        metadata.put(kv.getKey(), kv.getValue().asText());
                    }
                } else {
                    entries.add(entry(file, f.getKey(), f.getValue(), dataLength));
                }
            }
            entries.sort((a, b) -> Long.compare(a.begin, b.begin));
            long expected = 0;
            for (Entry e : entries) {
                if (e.begin != expected) {
                    throw new CheckpointException(file, "corrupt header: tensor '" + e.name + "' starts at " + e.begin
                            + ", expected " + expected + " (tensors must be contiguous)");
                }
                expected = e.end;
            }
            if (expected != dataLength) {
                throw new CheckpointException(file, (expected > dataLength ? "truncated" : "corrupt") + ": tensors need "
                        + expected + " bytes after the header but the file has " + dataLength);
            }
            Map<String, StateTensor> byOffset = new LinkedHashMap<>();
            for (Entry e : entries) {
                ByteBuffer data = ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, data, dataStart + e.begin);
                data.flip();
                float[] values = new float[data.remaining() / 4];
                data.asFloatBuffer().get(values);
                for (float v : values) {
                    if (!Float.isFinite(v)) {
                        throw new CheckpointException(file, "tensor '" + e.name + "' holds a non-finite value " + v);
                    }
                }
                byOffset.put(e.name, new StateTensor(e.shape, values));
            }
            // keep the header's order, which is the writer's
            Map<String, StateTensor> tensors = new LinkedHashMap<>();
            for (Iterator<String> it = header.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (byOffset.containsKey(name)) {
                    tensors.put(name, byOffset.get(name));
                }
            }
            return new Contents(tensors, metadata);
        }
    }

    private record Entry(String name, int[] shape, long begin, long end) {
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataLength) throws CheckpointException {
        String where = "corrupt header: tensor '" + name + "' ";
        if (!node.isObject()) {
            throw new CheckpointException(file, where + "is not an object");
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw new CheckpointException(file, where + "has no dtype");
        }
        if (!"F32".equals(dtype.asText())) {
            throw new CheckpointException(file, "tensor '" + name + "' has dtype " + dtype.asText()
                    + "; only F32 is supported");
        }
        JsonNode shapeNode = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new CheckpointException(file, where + "needs a shape and two data_offsets");
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || d.asInt() < 1) {
                throw new CheckpointException(file, where + "has a bad shape " + shapeNode);
            }
            shape[i] = d.asInt();
            count *= shape[i];
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end - begin != 4 * count) {
            throw new CheckpointException(file, where + "has offsets [" + begin + ", " + end + "] that do not fit shape "
                    + shapeNode + " of F32");
        }
        if (end > dataLength || end - begin > Integer.MAX_VALUE) {
            throw new CheckpointException(file, "truncated: tensor '" + name + "' ends at byte " + end
                    + " of the data but the file holds " + dataLength);
        }
        return new Entry(name, shape, begin, end);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, p);
            if (n < 0) {
                throw new java.io.EOFException("end of file at byte " + p);
            }
            p += n;
        }
    }
}
