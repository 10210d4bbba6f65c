package io.github.pointclip.onnx.internal;

import ai.onnxruntime.platform.Fp16Conversions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The top-level graph of an ONNX model file, read with a small protobuf decoder: its nodes (operator,
 * inputs, outputs, scalar and tensor attributes), its outputs and where each initializer's data lies.
 * Tensor data is not read while parsing (large initializers are skipped by seeking), only when
 * {@link Tensor#floats()} asks for one, so reading the structure of a model of hundreds of megabytes
 * takes milliseconds and little memory. Nested graphs (the branches of {@code If}, {@code Loop}) are
 * skipped. Field numbers follow {@code onnx/onnx.proto}. Immutable once read.
 */
public final class OnnxGraph {

    /** {@code TensorProto.DataType} numbers of the element types {@link Tensor#floats()} widens. */
    static final int FLOAT = 1;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;
    static final int BFLOAT16 = 16;
    static final int INT32 = 6;
    static final int INT64 = 7;

    private final Path file;
    private final List<Node> nodes;
    private final Map<String, Node> producers;
    private final Map<String, Tensor> initializers;
    private final List<String> outputs;

    private OnnxGraph(Path file, List<Node> nodes, Map<String, Tensor> initializers, List<String> outputs) {
        this.file = file;
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(initializers);
        this.outputs = List.copyOf(outputs);
        Map<String, Node> byOutput = new HashMap<>();
        for (Node n : this.nodes) {
            for (String o : n.outputs) {
                if (!o.isEmpty()) {
                    byOutput.put(o, n);
                }
            }
        }
        this.producers = Collections.unmodifiableMap(byOutput);
    }

    /**
     * Reads the graph structure of a model file.
     *
     * @param file an ONNX model ({@code ModelProto})
     * @return its top-level graph
     * @throws IOException when the file cannot be read, or is not a well-formed model (the message
     *     names the file and the byte offset)
     */
    public static OnnxGraph read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader in = new Reader(channel, file);
            List<Node> nodes = new ArrayList<>();
            Map<String, Tensor> initializers = new LinkedHashMap<>();
            List<String> outputs = new ArrayList<>();
            boolean sawGraph = false;
            long end = channel.size();
            while (in.position() < end) {
                int tag = in.tag();
                if (tag >>> 3 == 7 && (tag & 7) == 2) {
                    long graphEnd = in.lengthEnd();
                    readGraph(in, graphEnd, nodes, initializers, outputs);
                    sawGraph = true;
                } else {
                    in.skipField(tag);
                }
            }
            if (!sawGraph) {
                throw new IOException(file + ": not an ONNX model (no graph found)");
            }
            return new OnnxGraph(file, nodes, initializers, outputs);
        }
    }

    private static void readGraph(Reader in, long end, List<Node> nodes, Map<String, Tensor> initializers,
            List<String> outputs) throws IOException {
        while (in.position() < end) {
            int tag = in.tag();
            int field = tag >>> 3;
            if (field == 1 && (tag & 7) == 2) {
                nodes.add(readNode(in, in.lengthEnd()));
            } else if (field == 5 && (tag & 7) == 2) {
                Tensor t = readTensor(in, in.lengthEnd());
                initializers.put(t.name, t);
            } else if (field == 12 && (tag & 7) == 2) {
                outputs.add(readValueInfoName(in, in.lengthEnd()));
            } else {
                in.skipField(tag);
            }
        }
        in.expectAt(end, "graph");
    }

    private static String readValueInfoName(Reader in, long end) throws IOException {
        String name = "";
        while (in.position() < end) {
            int tag = in.tag();
            if (tag >>> 3 == 1 && (tag & 7) == 2) {
                name = in.string();
            } else {
                in.skipField(tag);
            }
        }
        in.expectAt(end, "graph output");
        return name;
    }

    private static Node readNode(Reader in, long end) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        String domain = "";
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        while (in.position() < end) {
            int tag = in.tag();
            int field = tag >>> 3;
            if ((tag & 7) != 2) {
                in.skipField(tag);
            } else if (field == 1) {
                inputs.add(in.string());
            } else if (field == 2) {
                outputs.add(in.string());
            } else if (field == 3) {
                name = in.string();
            } else if (field == 4) {
                op = in.string();
            } else if (field == 7) {
                domain = in.string();
            } else if (field == 5) {
                Attribute a = readAttribute(in, in.lengthEnd());
                attributes.put(a.name, a);
            } else {
                in.skipField(tag);
            }
        }
        in.expectAt(end, "node");
        return new Node(name, op, domain, inputs, outputs, attributes);
    }

    private static Attribute readAttribute(Reader in, long end) throws IOException {
        String name = "";
        Float f = null;
        Long i = null;
        List<Long> ints = new ArrayList<>();
        Tensor t = null;
        while (in.position() < end) {
            int tag = in.tag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == 1 && wire == 2) {
                name = in.string();
            } else if (field == 2 && wire == 5) {
                f = Float.intBitsToFloat(in.fixed32());
            } else if (field == 3 && wire == 0) {
                i = in.varint();
            } else if (field == 5 && wire == 2) {
                t = readTensor(in, in.lengthEnd());
            } else if (field == 8 && wire == 0) {
                ints.add(in.varint());
            } else if (field == 8 && wire == 2) {
                long packedEnd = in.lengthEnd();
                while (in.position() < packedEnd) {
                    ints.add(in.varint());
                }
                in.expectAt(packedEnd, "attribute ints");
            } else {
                in.skipField(tag);
            }
        }
        in.expectAt(end, "attribute");
        return new Attribute(name, f, i, ints.stream().mapToLong(Long::longValue).toArray(), t);
    }

    private static Tensor readTensor(Reader in, long end) throws IOException {
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = "";
        long dataOffset = -1;
        long dataLength = 0;
        int dataField = 0;
        List<Float> looseFloats = new ArrayList<>();
        Map<String, String> external = new HashMap<>();
        boolean externalLocation = false;
        while (in.position() < end) {
            int tag = in.tag();
            int field = tag >>> 3;
            int wire = tag & 7;
            if (field == 1 && wire == 0) {
                dims.add(in.varint());
            } else if (field == 1 && wire == 2) {
                long packedEnd = in.lengthEnd();
                while (in.position() < packedEnd) {
                    dims.add(in.varint());
                }
                in.expectAt(packedEnd, "tensor dims");
            } else if (field == 2 && wire == 0) {
                type = (int) in.varint();
            } else if (field == 8 && wire == 2) {
                name = in.string();
            } else if ((field == 9 || field == 4 || field == 5 || field == 7 || field == 10) && wire == 2) {
                long length = in.length();
                dataOffset = in.position();
                dataLength = length;
                dataField = field;
                in.skip(length);
            } else if (field == 4 && wire == 5) {
                looseFloats.add(Float.intBitsToFloat(in.fixed32()));
            } else if (field == 13 && wire == 2) {
                long entryEnd = in.lengthEnd();
                String key = null;
                String value = null;
                while (in.position() < entryEnd) {
                    int t = in.tag();
                    if (t >>> 3 == 1 && (t & 7) == 2) {
                        key = in.string();
                    } else if (t >>> 3 == 2 && (t & 7) == 2) {
                        value = in.string();
                    } else {
                        in.skipField(t);
                    }
                }
                in.expectAt(entryEnd, "external data entry");
                if (key != null && value != null) {
                    external.put(key, value);
                }
            } else if (field == 14 && wire == 0) {
                externalLocation = in.varint() == 1;
            } else {
                in.skipField(tag);
            }
        }
        in.expectAt(end, "tensor");
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        float[] loose = null;
        if (!looseFloats.isEmpty()) {
            loose = new float[looseFloats.size()];
            for (int k = 0; k < loose.length; k++) {
                loose[k] = looseFloats.get(k);
            }
        }
        return new Tensor(in.file, name, type, shape, dataField, dataOffset, dataLength, loose,
            externalLocation ? Map.copyOf(external) : null);
    }

    /** @return the model file */
    public Path file() {
        return file;
    }

    /** @return the nodes of the top-level graph, in file (topological) order */
    public List<Node> nodes() {
        return nodes;
    }

    /** @return the graph output names, in order */
    public List<String> outputs() {
        return outputs;
    }

    /**
     * @param value a value name
     * @return the node that produces it, if a node does (not for graph inputs and initializers)
     */
    public Optional<Node> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    /**
     * @param value a value name
     * @return the initializer of that name, if any
     */
    public Optional<Tensor> initializer(String value) {
        return Optional.ofNullable(initializers.get(value));
    }

    /** A node: operator, inputs and outputs by value name ({@code ""} for an omitted optional input), attributes. */
    public static final class Node {
        private final String name;
        private final String opType;
        private final String domain;
        private final List<String> inputs;
        private final List<String> outputs;
        private final Map<String, Attribute> attributes;

        Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                Map<String, Attribute> attributes) {
            this.name = name;
            this.opType = opType;
            this.domain = domain;
            this.inputs = List.copyOf(inputs);
            this.outputs = List.copyOf(outputs);
            this.attributes = Collections.unmodifiableMap(attributes);
        }

        /** @return the node's name (may be empty) */
        public String name() {
            return name;
        }

        /** @return the operator, e.g. {@code MatMul} */
        public String opType() {
            return opType;
        }

        /** @return the operator domain, empty for the default ONNX domain */
        public String domain() {
            return domain;
        }

        /** @return input value names */
        public List<String> inputs() {
            return inputs;
        }

        /** @return output value names */
        public List<String> outputs() {
            return outputs;
        }

        /**
         * @param attribute an attribute name
         * @return the attribute, if the node has it
         */
        public Optional<Attribute> attribute(String attribute) {
            return Optional.ofNullable(attributes.get(attribute));
        }

        /** @return how messages name the node: {@code MatMul 'name'} */
        public String describe() {
            return opType + (name.isEmpty() ? "" : " '" + name + "'");
        }

        @Override
        public String toString() {
            return describe() + " " + inputs + " -> " + outputs;
        }
    }

    /** A node attribute; only the kinds the dense-feature head needs are kept (float, int, ints, tensor). */
    public static final class Attribute {
        private final String name;
        private final Float f;
        private final Long i;
        private final long[] ints;
        private final Tensor t;

        Attribute(String name, Float f, Long i, long[] ints, Tensor t) {
            this.name = name;
            this.f = f;
            this.i = i;
            this.ints = ints;
            this.t = t;
        }

        /** @return the float value, if this is a FLOAT attribute */
        public Optional<Float> floatValue() {
            return Optional.ofNullable(f);
        }

        /** @return the integer value, if this is an INT attribute */
        public Optional<Long> intValue() {
            return Optional.ofNullable(i);
        }

        /** @return the values of an INTS attribute (empty otherwise) */
        public long[] ints() {
            return ints.clone();
        }

        /** @return the tensor, if this is a TENSOR attribute (e.g. a {@code Constant}'s value) */
        public Optional<Tensor> tensor() {
            return Optional.ofNullable(t);
        }
    }

    /** A tensor whose data stays in the file (or an external data file) until {@link #floats()} reads it. */
    public static final class Tensor {
        private final Path file;
        private final String name;
        private final int dataType;
        private final long[] shape;
        private final int dataField;
        private final long offset;
        private final long length;
        private final float[] loose;
        private final Map<String, String> external;

        Tensor(Path file, String name, int dataType, long[] shape, int dataField, long offset, long length, float[] loose,
                Map<String, String> external) {
            this.file = file;
            this.name = name;
            this.dataType = dataType;
            this.shape = shape;
            this.dataField = dataField;
            this.offset = offset;
            this.length = length;
            this.loose = loose;
            this.external = external;
        }

        /** @return the tensor's name (empty for an attribute tensor without one) */
        public String name() {
            return name;
        }

        /** @return the shape (empty for a scalar) */
        public long[] shape() {
            return shape.clone();
        }

        /** @return the number of elements */
        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** @return whether {@link #floats()} can read it: float32, float16, bfloat16 or float64 */
        public boolean isFloating() {
            return dataType == FLOAT || dataType == FLOAT16 || dataType == DOUBLE || dataType == BFLOAT16;
        }

        /**
         * Reads the values, widened or rounded to float32.
         *
         * @return the values, row-major
         * @throws IOException when the data cannot be read or does not match the shape (naming the
         *     tensor and the file)
         */
        public float[] floats() throws IOException {
            long count = elementCount();
            if (!isFloating()) {
                throw new IOException(file + ": tensor '" + name + "' has element type " + dataType
                    + ", not a floating-point type");
            }
            if (count > Integer.MAX_VALUE / 2) {
                throw new IOException(file + ": tensor '" + name + "' is too large (" + count + " elements)");
            }
            int n = (int) count;
            if (loose != null) {
                return checked(loose, n);
            }
            ByteBuffer bytes = data();
            bytes.order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[n];
            if (dataField == 9 || external != null) {
                int width = dataType == FLOAT ? 4 : dataType == DOUBLE ? 8 : 2;
                if (bytes.remaining() != (long) n * width) {
                    throw new IOException(file + ": tensor '" + name + "' has " + bytes.remaining()
                        + " bytes of data, expected " + (long) n * width + " for shape " + Arrays.toString(shape));
                }
                for (int k = 0; k < n; k++) {
                    switch (dataType) {
                        case FLOAT: out[k] = bytes.getFloat(); break;
                        case DOUBLE: out[k] = (float) bytes.getDouble(); break;
                        case FLOAT16: out[k] = Fp16Conversions.fp16ToFloat(bytes.getShort()); break;
                        default: out[k] = Float.intBitsToFloat((bytes.getShort() & 0xFFFF) << 16); break;
                    }
                }
                return out;
            }
            if (dataField == 4 && dataType == FLOAT) {
                return checked(readFixed32(bytes), n);
            }
            if (dataField == 10 && dataType == DOUBLE) {
                float[] values = new float[bytes.remaining() / 8];
                for (int k = 0; k < values.length; k++) {
                    values[k] = (float) bytes.getDouble();
                }
                return checked(values, n);
            }
            if (dataField == 5 && (dataType == FLOAT16 || dataType == BFLOAT16)) {
                List<Float> values = new ArrayList<>();
                while (bytes.hasRemaining()) {
                    short bits = (short) Reader.varint(bytes);
                    values.add(dataType == FLOAT16 ? Fp16Conversions.fp16ToFloat(bits)
                        : Float.intBitsToFloat((bits & 0xFFFF) << 16));
                }
                float[] v = new float[values.size()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = values.get(k);
                }
                return checked(v, n);
            }
            if (dataField == 0 && n == 0) {
                return out;
            }
            throw new IOException(file + ": tensor '" + name + "' has no data this reader understands (type " + dataType
                + ", field " + dataField + ")");
        }

        /**
         * Reads the values of an int64 or int32 tensor (a shape, an index, an axis).
         *
         * @return the values, row-major
         * @throws IOException when the tensor is not an integer tensor or its data cannot be read
         */
        public long[] longs() throws IOException {
            if (dataType != INT64 && dataType != INT32) {
                throw new IOException(file + ": tensor '" + name + "' has element type " + dataType + ", not int64 or int32");
            }
            long count = elementCount();
            if (count > 1 << 20) {
                throw new IOException(file + ": integer tensor '" + name + "' is too large (" + count + " elements)");
            }
            int n = (int) count;
            ByteBuffer bytes = data().order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[n];
            if (dataField == 9 || external != null) {
                int width = dataType == INT64 ? 8 : 4;
                if (bytes.remaining() != (long) n * width) {
                    throw new IOException(file + ": tensor '" + name + "' has " + bytes.remaining()
                        + " bytes of data, expected " + (long) n * width + " for shape " + Arrays.toString(shape));
                }
                for (int k = 0; k < n; k++) {
                    out[k] = dataType == INT64 ? bytes.getLong() : bytes.getInt();
                }
                return out;
            }
            if ((dataField == 7 && dataType == INT64) || (dataField == 5 && dataType == INT32)) {
                int k = 0;
                while (bytes.hasRemaining()) {
                    long v = Reader.varint(bytes);
                    if (k < n) {
                        out[k] = dataType == INT32 ? (int) v : v;
                    }
                    k++;
                }
                if (k != n) {
                    throw new IOException(file + ": tensor '" + name + "' has " + k + " values, expected " + n);
                }
                return out;
            }
            if (dataField == 0 && n == 0) {
                return out;
            }
            throw new IOException(file + ": tensor '" + name + "' has no data this reader understands (type " + dataType
                + ", field " + dataField + ")");
        }

        private static float[] readFixed32(ByteBuffer bytes) {
            float[] values = new float[bytes.remaining() / 4];
            for (int k = 0; k < values.length; k++) {
                values[k] = bytes.getFloat();
            }
            return values;
        }

        private float[] checked(float[] values, int n) throws IOException {
            if (values.length != n) {
                throw new IOException(file + ": tensor '" + name + "' has " + values.length + " values, expected " + n
                    + " for shape " + Arrays.toString(shape));
            }
            return values;
        }

        private ByteBuffer data() throws IOException {
            if (external == null && offset < 0) {
                return ByteBuffer.allocate(0);
            }
            Path source = file;
            long start = offset;
            long size = length;
            if (external != null) {
                String location = external.get("location");
                if (location == null) {
                    throw new IOException(file + ": tensor '" + name + "' is stored externally without a location");
                }
                Path dir = file.toAbsolutePath().getParent();
                source = dir.resolve(location).normalize();
                if (!source.startsWith(dir)) {
                    throw new IOException(file + ": tensor '" + name + "' points outside the model's directory: "
                        + location);
                }
                start = Long.parseLong(external.getOrDefault("offset", "0"));
                size = external.containsKey("length") ? Long.parseLong(external.get("length")) : -1;
            }
            try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
                if (size < 0) {
                    size = channel.size() - start;
                }
                if (start < 0 || size > Integer.MAX_VALUE || start + size > channel.size()) {
                    throw new IOException(source + ": tensor '" + name + "' data at " + start + "+" + size
                        + " lies outside the file (" + channel.size() + " bytes)");
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) size);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, start + buffer.position()) < 0) {
                        throw new IOException(source + ": truncated while reading tensor '" + name + "'");
                    }
                }
                buffer.flip();
                return buffer;
            }
        }
    }

    /** A buffered protobuf decoder over a file channel that skips long fields by seeking. */
    private static final class Reader {
        private final FileChannel channel;
        private final Path file;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        /** File position of buffer index 0. */
        private long bufferStart;

        Reader(FileChannel channel, Path file) {
            this.channel = channel;
            this.file = file;
            buffer.limit(0);
        }

        long position() {
            return bufferStart + buffer.position();
        }

        private IOException malformed(String what) {
            return new IOException(file + ": malformed ONNX model at byte " + position() + ": " + what);
        }

        private int readByte() throws IOException {
            if (!buffer.hasRemaining()) {
                bufferStart += buffer.limit();
                buffer.clear();
                int n = channel.read(buffer, bufferStart);
                buffer.flip();
                if (n <= 0) {
                    throw malformed("unexpected end of file");
                }
            }
            return buffer.get() & 0xFF;
        }

        long varint() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = readByte();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw malformed("varint longer than 10 bytes");
        }

        static long varint(ByteBuffer bytes) {
            long value = 0;
            for (int shift = 0; shift < 64 && bytes.hasRemaining(); shift += 7) {
                int b = bytes.get() & 0xFF;
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            return value;
        }

        int tag() throws IOException {
            long tag = varint();
            if (tag <= 0 || tag > Integer.MAX_VALUE) {
                throw malformed("bad field tag " + tag);
            }
            return (int) tag;
        }

        int fixed32() throws IOException {
            int v = 0;
            for (int k = 0; k < 4; k++) {
                v |= readByte() << (8 * k);
            }
            return v;
        }

        long length() throws IOException {
            long n = varint();
            if (n < 0 || position() + n > channel.size()) {
                throw malformed("length " + n + " runs past the end of the file");
            }
            return n;
        }

        /** Reads a length prefix and returns the absolute end of the field it introduces. */
        long lengthEnd() throws IOException {
            long n = length();
            return position() + n;
        }

        String string() throws IOException {
            long n = length();
            if (n > 1 << 20) {
                throw malformed("string of " + n + " bytes");
            }
            byte[] bytes = new byte[(int) n];
            for (int k = 0; k < n; k++) {
                bytes[k] = (byte) readByte();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void skip(long n) throws IOException {
            long target = position() + n;
            if (n <= buffer.remaining()) {
                buffer.position(buffer.position() + (int) n);
            } else {
                bufferStart = target;
                buffer.clear();
                buffer.limit(0);
            }
        }

        void skipField(int tag) throws IOException {
            switch (tag & 7) {
                case 0: varint(); break;
                case 1: skip(8); break;
                case 2: skip(length()); break;
                case 5: skip(4); break;
                default: throw malformed("unsupported wire type " + (tag & 7));
            }
        }

        void expectAt(long end, String what) throws IOException {
            if (position() != end) {
                throw malformed(what + " overruns its length by " + (position() - end) + " bytes");
            }
        }
    }
}
