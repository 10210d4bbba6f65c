package io.github.pointclip.onnx.testmodels;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds an ONNX graph and writes it as a {@code ModelProto} file (IR version 8, default-domain
 * opset 17) with a small hand-written protobuf encoder, so that tests can make models without
 * Python or the {@code onnx} package.
 *
 * <p>Field numbers follow {@code onnx/onnx.proto}. Tensor data is stored as little-endian
 * {@code raw_data}. Initializers given as a {@link FloatSource} are not held in memory: their
 * values are computed while the file is written, which is how {@link FullClipModels} writes
 * models of several hundred megabytes. Output is deterministic: the same calls give the same
 * bytes.
 *
 * <p>Not thread-safe; build on one thread, then call {@link #write(Path)} or {@link #toByteArray()}.
 */
public final class OnnxModelWriter {

    /** IR version written into every model (ONNX 1.13+, read by ONNX Runtime 1.14+). */
    public static final long IR_VERSION = 8;
    /** Default-domain operator set version written into every model. */
    public static final long OPSET = 17;

    /** ONNX tensor element types used by the test models ({@code TensorProto.DataType}). */
    public enum ElementType {
        /** 32-bit IEEE float. */
        FLOAT(1, 4),
        /** 16-bit IEEE float (declarations and casts only; initializers are float32). */
        FLOAT16(10, 2),
        /** 32-bit signed integer. */
        INT32(6, 4),
        /** 64-bit signed integer. */
        INT64(7, 8);

        private final int code;
        private final int bytes;

        ElementType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /** @return the {@code TensorProto.DataType} number */
        public int code() {
            return code;
        }
    }

    /**
     * Produces the values of a streamed float initializer by row-major index. It must be a pure
     * function of the index, so that writing the model twice gives the same bytes.
     */
    @FunctionalInterface
    public interface FloatSource {
        /**
         * @param index row-major element index, {@code 0 <= index < element count}
         * @return the value at that index
         */
        float valueAt(long index);
    }

    /** A node being added to the graph; attributes are appended in call order. */
    public final class Node {
        private final String opType;
        private final String name;
        private final List<String> inputs;
        private final List<String> outputs = new ArrayList<>();
        private final Proto attributes = new Proto();

        private Node(String opType, String name, List<String> inputs) {
            this.opType = opType;
            this.name = name;
            this.inputs = inputs;
        }

        /**
         * Replaces the node's outputs (by default one output named after the node).
         *
         * @param names output names, unique in the graph
         * @return this node
         */
        public Node outputs(String... names) {
            for (String output : outputs) {
                producedValues.remove(output);
            }
            outputs.clear();
            for (String n : names) {
                declareValue(n);
                outputs.add(n);
            }
            return this;
        }

        /** @return the first output's name */
        public String output() {
            return outputs.get(0);
        }

        /**
         * @param index output position
         * @return that output's name
         */
        public String output(int index) {
            return outputs.get(index);
        }

        /**
         * Adds an {@code INT} attribute.
         *
         * @param attrName attribute name
         * @param value its value
         * @return this node
         */
        public Node attrInt(String attrName, long value) {
            Proto a = new Proto().string(1, attrName).int64(20, 2).int64(3, value);
            attributes.message(5, a);
            return this;
        }

        /**
         * Adds an {@code INTS} attribute.
         *
         * @param attrName attribute name
         * @param values its values
         * @return this node
         */
        public Node attrInts(String attrName, long... values) {
            Proto a = new Proto().string(1, attrName).int64(20, 7);
            for (long v : values) {
                a.int64(8, v);
            }
            attributes.message(5, a);
            return this;
        }

        /**
         * Adds a {@code FLOAT} attribute.
         *
         * @param attrName attribute name
         * @param value its value
         * @return this node
         */
        public Node attrFloat(String attrName, float value) {
            Proto a = new Proto().string(1, attrName).int64(20, 1).float32(2, value);
            attributes.message(5, a);
            return this;
        }

        /**
         * Adds a {@code STRING} attribute (UTF-8).
         *
         * @param attrName attribute name
         * @param value its value
         * @return this node
         */
        public Node attrString(String attrName, String value) {
            Proto a = new Proto().string(1, attrName).int64(20, 3).string(4, value);
            attributes.message(5, a);
            return this;
        }

        private Proto encode() {
            Proto p = new Proto();
            for (String in : inputs) {
                p.string(1, in);
            }
            for (String out : outputs) {
                p.string(2, out);
            }
            p.string(3, name).string(4, opType);
            p.append(attributes);
            return p;
        }
    }

    /** A float or int64 initializer: its header is encoded now, its data when written. */
    private static final class Initializer {
        final String name;
        final long[] dims;
        final ElementType type;
        final long count;
        final float[] floats;
        final FloatSource source;
        final long[] longs;

        Initializer(String name, long[] dims, ElementType type, float[] floats, FloatSource source, long[] longs) {
            this.name = name;
            this.dims = dims;
            this.type = type;
            this.count = elementCount(dims);
            this.floats = floats;
            this.source = source;
            this.longs = longs;
        }

        long rawBytes() {
            return count * type.bytes;
        }

        Proto header() {
            Proto p = new Proto();
            for (long d : dims) {
                p.int64(1, d);
            }
            return p.int64(2, type.code).string(8, name);
        }

        /** Size of the TensorProto message: header plus the raw_data field. */
        long messageSize() {
            return header().size() + Proto.tagSize(9) + Proto.varintSize(rawBytes()) + rawBytes();
        }
    }

    private final String graphName;
    private String docString = "";
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final Set<String> producedValues = new HashSet<>();
    private final Map<String, Integer> opCounters = new LinkedHashMap<>();

    /**
     * @param graphName the graph's name, stored in the model
     */
    public OnnxModelWriter(String graphName) {
        this.graphName = Objects.requireNonNull(graphName, "graphName");
    }

    /**
     * Sets the model's {@code doc_string} (default empty, then not written).
     *
     * @param text human-readable description
     * @return this writer
     */
    public OnnxModelWriter docString(String text) {
        this.docString = Objects.requireNonNull(text, "text");
        return this;
    }

    /**
     * Declares a graph input.
     *
     * @param name the input name
     * @param type element type
     * @param dims each a fixed size ({@link Integer} or {@link Long}) or a symbolic name
     *     ({@link String})
     * @return the input name, for use as a node input
     */
    public String input(String name, ElementType type, Object... dims) {
        declareValue(name);
        inputs.add(valueInfo(name, type, dims));
        return name;
    }

    /**
     * Declares a graph output; some node (added before or after) must produce it.
     *
     * @param name the output name
     * @param type element type
     * @param dims as for {@link #input}
     */
    public void output(String name, ElementType type, Object... dims) {
        outputs.add(valueInfo(name, type, dims));
    }

    /**
     * Adds a float initializer held in memory.
     *
     * @param name unique value name
     * @param dims shape (empty for a scalar)
     * @param values row-major values; their count must match the shape
     * @return the name
     */
    public String floats(String name, long[] dims, float... values) {
        if (values.length != elementCount(dims)) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(dims));
        }
        return addInitializer(new Initializer(name, dims.clone(), ElementType.FLOAT, values.clone(), null, null));
    }

    /**
     * Adds a float initializer whose values are produced while the model is written, so it is
     * never held in memory. The source is asked for each element once per write.
     *
     * @param name unique value name
     * @param dims shape
     * @param source the values, row-major
     * @return the name
     */
    public String floats(String name, long[] dims, FloatSource source) {
        return addInitializer(new Initializer(name, dims.clone(), ElementType.FLOAT, null, Objects.requireNonNull(source), null));
    }

    /**
     * Adds an int64 initializer.
     *
     * @param name unique value name
     * @param dims shape (empty for a scalar)
     * @param values row-major values
     * @return the name
     */
    public String int64s(String name, long[] dims, long... values) {
        if (values.length != elementCount(dims)) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(dims));
        }
        return addInitializer(new Initializer(name, dims.clone(), ElementType.INT64, null, null, values.clone()));
    }

    /**
     * Adds a node with one output, named {@code <opType>_<n>}; use {@link Node#outputs} to name
     * outputs explicitly. Nodes must be added in topological order.
     *
     * @param opType the default-domain operator, e.g. {@code "MatMul"}
     * @param inputs input value names ({@code ""} for an omitted optional input)
     * @return the node, for attributes and outputs
     */
    public Node node(String opType, String... inputs) {
        int n = opCounters.merge(opType, 1, Integer::sum);
        String name = opType + "_" + n;
        Node node = new Node(opType, name, List.of(inputs));
        node.outputs(name);
        nodes.add(node);
        return node;
    }

    /**
     * @param name a value name
     * @return whether an input, initializer or node output of that name is already defined
     */
    public boolean isDefined(String name) {
        return producedValues.contains(name);
    }

    /** @return name to shape of every initializer, in insertion order (shapes are copies) */
    public Map<String, long[]> initializerShapes() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Initializer i : initializers) {
            shapes.put(i.name, i.dims.clone());
        }
        return Collections.unmodifiableMap(shapes);
    }

    /** @return the exact size in bytes of the model file */
    public long fileSize() {
        Proto head = modelHead();
        long graph = graphSize();
        return head.size() + Proto.tagSize(7) + Proto.varintSize(graph) + graph + modelTail().size();
    }

    /**
     * Writes the model atomically (temporary file, then rename).
     *
     * @param file target file; parent directories are created
     * @throws IOException if writing fails; the target is then unchanged
     */
    public void write(Path file) throws IOException {
        writeAtomically(file, this::writeTo);
    }

    /** Writes the content of one file. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Temporary file beside the target, then an atomic rename (this module stays free of the
     * library's own {@code AtomicFiles}, so that every module's tests can depend on it).
     */
    static void writeAtomically(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @return the whole model file in memory (for small models)
     */
    public byte[] toByteArray() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the model to a stream (not closed).
     *
     * @param out destination
     * @throws IOException if the stream fails
     */
    public void writeTo(OutputStream out) throws IOException {
        modelHead().writeTo(out);
        long graph = graphSize();
        Proto graphHeader = new Proto();
        graphHeader.tag(7, 2).varint(graph);
        graphHeader.writeTo(out);
        for (Node node : nodes) {
            new Proto().message(1, node.encode()).writeTo(out);
        }
        new Proto().string(2, graphName).writeTo(out);
        for (Initializer init : initializers) {
            Proto header = init.header();
            Proto prefix = new Proto();
            prefix.tag(5, 2).varint(init.messageSize());
            prefix.append(header);
            prefix.tag(9, 2).varint(init.rawBytes());
            prefix.writeTo(out);
            writeRaw(init, out);
        }
        for (Proto in : inputs) {
            new Proto().message(11, in).writeTo(out);
        }
        for (Proto o : outputs) {
            new Proto().message(12, o).writeTo(out);
        }
        modelTail().writeTo(out);
    }

    private Proto modelHead() {
        Proto p = new Proto().int64(1, IR_VERSION).string(2, "pointclip-testmodels");
        if (!docString.isEmpty()) {
            p.string(6, docString);
        }
        return p;
    }

    private static Proto modelTail() {
        return new Proto().message(8, new Proto().int64(2, OPSET));
    }

    private long graphSize() {
        long size = 0;
        for (Node node : nodes) {
            size += Proto.messageFieldSize(1, node.encode().size());
        }
        size += new Proto().string(2, graphName).size();
        for (Initializer init : initializers) {
            size += Proto.messageFieldSize(5, init.messageSize());
        }
        for (Proto in : inputs) {
            size += Proto.messageFieldSize(11, in.size());
        }
        for (Proto o : outputs) {
            size += Proto.messageFieldSize(12, o.size());
        }
        return size;
    }

    private static void writeRaw(Initializer init, OutputStream out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < init.count; i++) {
            if (chunk.remaining() < 8) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            if (init.type == ElementType.INT64) {
                chunk.putLong(init.longs[(int) i]);
            } else if (init.floats != null) {
                chunk.putFloat(init.floats[(int) i]);
            } else {
                chunk.putFloat(init.source.valueAt(i));
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    private String addInitializer(Initializer init) {
        declareValue(init.name);
        initializers.add(init);
        return init.name;
    }

    private void declareValue(String name) {
        if (name.isEmpty() || !producedValues.add(name)) {
            throw new IllegalArgumentException("value name empty or already defined: '" + name + "'");
        }
    }

    private static Proto valueInfo(String name, ElementType type, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            Proto dim = new Proto();
            if (d instanceof String) {
                dim.string(2, (String) d);
            } else if (d instanceof Integer || d instanceof Long) {
                dim.int64(1, ((Number) d).longValue());
            } else {
                throw new IllegalArgumentException(name + ": dimension must be a number or a name, got " + d);
            }
            shape.message(1, dim);
        }
        Proto tensorType = new Proto().int64(1, type.code).message(2, shape);
        Proto typeProto = new Proto().message(1, tensorType);
        return new Proto().string(1, name).message(2, typeProto);
    }

    private static long elementCount(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** A protobuf message under construction: the wire format, field by field. */
    private static final class Proto {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Proto tag(int field, int wireType) {
            return varint(((long) field << 3) | wireType);
        }

        Proto varint(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                bytes.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            bytes.write((int) v);
            return this;
        }

        Proto int64(int field, long value) {
            return tag(field, 0).varint(value);
        }

        Proto float32(int field, float value) {
            tag(field, 5);
            int bits = Float.floatToRawIntBits(value);
            for (int i = 0; i < 4; i++) {
                bytes.write((bits >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        Proto string(int field, String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            tag(field, 2).varint(utf8.length);
            bytes.write(utf8, 0, utf8.length);
            return this;
        }

        Proto message(int field, Proto message) {
            tag(field, 2).varint(message.size());
            return append(message);
        }

        Proto append(Proto other) {
            bytes.write(other.bytes.toByteArray(), 0, other.size());
            return this;
        }

        int size() {
            return bytes.size();
        }

        void writeTo(OutputStream out) throws IOException {
            bytes.writeTo(out);
        }

        static int varintSize(long value) {
            int n = 1;
            long v = value;
            while ((v & ~0x7FL) != 0) {
                v >>>= 7;
                n++;
            }
            return n;
        }

        static int tagSize(int field) {
            return varintSize((long) field << 3);
        }

        static long messageFieldSize(int field, long length) {
            return tagSize(field) + varintSize(length) + length;
        }
    }
}
