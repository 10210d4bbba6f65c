package io.github.pointclip.dataset;

import io.github.pointclip.io.FileFormatException;
import io.jhdf.HdfFile;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.message.DataLayout;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * One h5 file of a dataset: its validated labels and shape, read when opened, and block reads
 * of its clouds. The file is opened per call and closed again, so nothing stays open.
 *
 * <p>The file holds {@code data} [N, P, 3] float32 (float64 is accepted) and {@code label} [N]
 * or [N, 1] of any integer type.
 *
 * <p>jHDF parses the file's structure. For contiguous {@code data} (what h5py writes by default,
 * and how the ModelNet40 and ScanObjectNN files are stored) the clouds are then read directly
 * from the data's byte range: jHDF's sliced {@code getData} builds a {@code float[][][]} and
 * measured about 2 ms per 2048-point cloud, the direct read about 0.03 ms. Chunked (e.g.
 * compressed) data goes through jHDF's sliced read.
 */
final class H5Part {

    private final Path file;
    private final int[] labels;
    private final int points;
    private final List<String> ids;
    /** Where the contiguous data starts in the file, or -1 to read through jHDF's slices. */
    private final long dataOffset;
    private final ByteOrder byteOrder;
    private final int valueSize;
    /** The per-point label dataset (ShapeNetPart's {@code pid}), or null when not read. */
    private final String pointLabels;
    /** Its contiguous layout, or null to read through jHDF's slices. */
    private final RawLayout pointLabelLayout;
    /** Whether its integers are signed. */
    private final boolean pointLabelsSigned;

    private H5Part(Path file, int[] labels, int points, List<String> ids, RawLayout raw, String pointLabels,
                   RawLayout pointLabelLayout, boolean pointLabelsSigned) {
        this.file = file;
        this.labels = labels;
        this.points = points;
        this.ids = ids;
        this.dataOffset = raw == null ? -1 : raw.offset;
        this.byteOrder = raw == null ? null : raw.order;
        this.valueSize = raw == null ? 0 : raw.size;
        this.pointLabels = pointLabels;
        this.pointLabelLayout = pointLabelLayout;
        this.pointLabelsSigned = pointLabelsSigned;
    }

    /** File offset, byte order and value size of contiguous floating-point data. */
    private static final class RawLayout {
        final long offset;
        final ByteOrder order;
        final int size;

        RawLayout(long offset, ByteOrder order, int size) {
            this.offset = offset;
            this.order = order;
            this.size = size;
        }
    }

    /**
     * Opens a file and reads and validates its shape and labels.
     *
     * @param file the h5 file
     * @param namedBy the file list that named it, or null
     * @param classCount labels must lie in [0, classCount)
     * @param ids per-sample ids (e.g. from an id2file list), or null for {@code file#row}
     * @param idsFile where {@code ids} came from, for the error message
     * @return the part
     * @throws DatasetException if the file is missing, unreadable or inconsistent
     */
    static H5Part open(Path file, Path namedBy, int classCount, List<String> ids, Path idsFile)
        throws DatasetException {
        return open(file, namedBy, classCount, ids, idsFile, null);
    }

    /**
     * Opens a file as {@link #open(Path, Path, int, List, Path)} does, and also checks a per-point
     * label dataset (ShapeNetPart's {@code pid}: [N, P] of any integer type), whose values
     * {@link #readPointLabels} reads block by block.
     *
     * @param pointLabels the name of the per-point label dataset, or null for none
     */
    static H5Part open(Path file, Path namedBy, int classCount, List<String> ids, Path idsFile, String pointLabels)
        throws DatasetException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file, namedBy, "h5 file not found", null);
        }
        int[] dataShape;
        int[] labelShape;
        Object labelValues;
        RawLayout raw;
        RawLayout pointLayout = null;
        boolean pointSigned = false;
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (IOException e) {
            throw new DatasetException(file, namedBy, "cannot read the file size: " + e, e);
        }
        try (HdfFile hdf = openHdf(file)) {
            io.jhdf.api.Dataset data = dataset(hdf, file, "data");
            io.jhdf.api.Dataset label = dataset(hdf, file, "label");
            dataShape = shape(file, "data", data);
            labelShape = shape(file, "label", label);
            checkShapes(file, data, dataShape, label, labelShape);
            // before jHDF allocates anything from the declared shapes
            checkFitsTheFile(file, "data", data, dataShape, fileSize);
            checkFitsTheFile(file, "label", label, labelShape, fileSize);
            labelValues = label.getDataFlat();
            raw = rawLayout(hdf, data, file, dataShape);
            if (pointLabels != null) {
                io.jhdf.api.Dataset pid = dataset(hdf, file, pointLabels);
                int[] pidShape = shape(file, pointLabels, pid);
                checkPointLabels(file, pointLabels, pid, pidShape, dataShape);
                checkFitsTheFile(file, pointLabels, pid, pidShape, fileSize);
                pointLayout = integerLayout(hdf, pid, file, pointLabels, (long) dataShape[0] * dataShape[1]);
                pointSigned = ((FixedPoint) pid.getDataType()).isSigned();
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw new DatasetException(file, namedBy, "cannot read the file: " + e, e);
        } catch (RuntimeException e) { // jHDF reports malformed files with unchecked exceptions
            throw new DatasetException(file, namedBy, "unreadable HDF5 file: "
                + FileFormatException.quote(String.valueOf(e), 200), e);
        }
        int[] labels = toLabels(file, labelValues, dataShape[0], classCount);
        if (ids != null && ids.size() != labels.length) {
            throw new DatasetException(idsFile, "lists " + ids.size() + " ids but " + file.getFileName()
                + " holds " + labels.length + " samples");
        }
        return new H5Part(file, labels, dataShape[1], ids == null ? null : List.copyOf(ids), raw, pointLabels,
            pointLayout, pointSigned);
    }

    private static void checkPointLabels(Path file, String name, io.jhdf.api.Dataset pid, int[] shape, int[] dataShape)
        throws DatasetException {
        boolean shapeOk = (shape.length == 2 || (shape.length == 3 && shape[2] == 1))
            && shape[0] == dataShape[0] && shape[1] == dataShape[1];
        if (!shapeOk) {
            throw new DatasetException(file, "'" + name + "' has shape " + Arrays.toString(shape) + ", expected ["
                + dataShape[0] + ", " + dataShape[1] + "] (one label per point of 'data')");
        }
        if (!(pid.getDataType() instanceof FixedPoint) || pid.getDataType().getSize() > 8) {
            throw new DatasetException(file, "'" + name + "' holds " + pid.getJavaType().getSimpleName()
                + " values, expected integers");
        }
    }

    /** The byte range of contiguous integer data, checked against the file size; null if not contiguous. */
    private static RawLayout integerLayout(HdfFile hdf, io.jhdf.api.Dataset dataset, Path file, String name,
        long count) throws DatasetException {
        if (!(dataset instanceof ContiguousDataset)) {
            return null;
        }
        long address = ((ContiguousDataset) dataset).getDataAddress();
        if (address < 0) {
            return null;
        }
        FixedPoint type = (FixedPoint) dataset.getDataType();
        long offset = hdf.getUserBlockSize() + address;
        long end = offset + count * type.getSize();
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read the file size: " + e, e);
        }
        if (end > fileSize) {
            throw new DatasetException(file, "truncated: '" + name + "' occupies bytes " + offset + ".." + end
                + " but the file has " + fileSize + " bytes");
        }
        return new RawLayout(offset, type.getByteOrder(), type.getSize());
    }

    /**
     * Opens an h5 file for jHDF over a read-only memory map. jHDF's file-channel storage
     * allocates a heap buffer of whatever length an object header declares before reading it,
     * so one corrupt size field asks for gigabytes; over a mapped buffer the same read is a
     * bounds-checked slice that fails with an exception. Files beyond 2 GiB, which one buffer
     * cannot map, are opened through the file channel.
     */
    private static HdfFile openHdf(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= Integer.MAX_VALUE) {
                return HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
            }
        }
        return new HdfFile(file);
    }

    /** The byte range of contiguous data, checked against the file size; null if not contiguous. */
    private static RawLayout rawLayout(HdfFile hdf, io.jhdf.api.Dataset data, Path file, int[] shape)
        throws DatasetException {
        if (!(data instanceof ContiguousDataset) || !(data.getDataType() instanceof FloatingPoint)) {
            return null;
        }
        long address = ((ContiguousDataset) data).getDataAddress();
        if (address < 0) { // storage never allocated: let jHDF supply the fill value
            return null;
        }
        FloatingPoint type = (FloatingPoint) data.getDataType();
        int size = type.getSize();
        // HDF5 addresses count from the base address, which follows the user block
        long offset = hdf.getUserBlockSize() + address;
        long end = offset + (long) shape[0] * shape[1] * 3 * size;
        long fileSize;
        try {
            fileSize = Files.size(file);
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read the file size: " + e, e);
        }
        if (end > fileSize) {
            throw new DatasetException(file, "truncated: 'data' occupies bytes " + offset + ".." + end
                + " but the file has " + fileSize + " bytes");
        }
        return new RawLayout(offset, type.getByteOrder(), size);
    }

    private static io.jhdf.api.Dataset dataset(HdfFile hdf, Path file, String name) throws DatasetException {
        Node node = hdf.getChildren().get(name);
        if (!(node instanceof io.jhdf.api.Dataset)) {
            throw new DatasetException(file, "no '" + name + "' dataset at the root; found "
                + FileFormatException.quote(String.valueOf(hdf.getChildren().keySet()), 200));
        }
        return (io.jhdf.api.Dataset) node;
    }

    /**
     * Deflate, the strongest filter in HDF5 files, expands at most 1032-fold: chunked data that
     * declares more bytes than that times the file size is a corrupt header.
     */
    static final long MAX_EXPANSION = 1032;

    /** The declared shape, each dimension checked to be 0 to {@code Integer.MAX_VALUE}. */
    private static int[] shape(Path file, String name, io.jhdf.api.Dataset dataset) throws DatasetException {
        long[] dims = dataset.getDimensionsAsLong();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE - 8) {
                throw new DatasetException(file, "'" + name + "' declares shape " + Arrays.toString(dims)
                    + ", whose dimension " + i + " is negative or too large");
            }
            shape[i] = (int) dims[i];
        }
        return shape;
    }

    /**
     * Rejects a dataset whose declared size is more than the file can hold: its bytes as stored,
     * or for filtered (compressed) chunks {@link #MAX_EXPANSION} times the file size.
     */
    private static void checkFitsTheFile(Path file, String name, io.jhdf.api.Dataset dataset, int[] shape,
        long fileSize) throws DatasetException {
        long bytes = Math.max(1, dataset.getDataType().getSize());
        boolean overflow = false;
        for (int d : shape) {
            if (d != 0 && bytes > Long.MAX_VALUE / d) {
                overflow = true;
                break;
            }
            bytes *= d;
        }
        boolean filtered = dataset.getDataLayout() == DataLayout.CHUNKED && !dataset.getFilters().isEmpty();
        long limit = filtered ? Math.multiplyHigh(fileSize, MAX_EXPANSION) != 0 ? Long.MAX_VALUE
            : fileSize * MAX_EXPANSION : fileSize;
        if (overflow || bytes > limit) {
            throw new DatasetException(file, "'" + name + "' declares shape " + Arrays.toString(shape) + " of "
                + dataset.getDataType().getSize() + "-byte values (" + (overflow ? "more than 2^63" : bytes)
                + " bytes), more than the file of " + fileSize + " bytes can hold"
                + (filtered ? " even compressed" : ""));
        }
    }

    private static void checkShapes(Path file, io.jhdf.api.Dataset data, int[] dataShape,
        io.jhdf.api.Dataset label, int[] labelShape) throws DatasetException {
        if (dataShape.length != 3 || dataShape[2] != 3 || dataShape[1] < 1) {
            throw new DatasetException(file, "'data' has shape " + Arrays.toString(dataShape)
                + ", expected [N, P, 3] with P >= 1");
        }
        Class<?> type = data.getJavaType();
        if (type != float.class && type != double.class) {
            throw new DatasetException(file, "'data' holds " + type.getSimpleName()
                + " values, expected float32 or float64");
        }
        boolean labelShapeOk = labelShape.length == 1 || (labelShape.length == 2 && labelShape[1] == 1);
        if (!labelShapeOk) {
            throw new DatasetException(file, "'label' has shape " + Arrays.toString(labelShape)
                + ", expected [N] or [N, 1]");
        }
        if (labelShape[0] != dataShape[0]) {
            throw new DatasetException(file, "'data' holds " + dataShape[0] + " samples but 'label' holds "
                + labelShape[0]);
        }
        Class<?> labelType = label.getJavaType();
        if (labelType != byte.class && labelType != short.class && labelType != int.class
            && labelType != long.class) {
            throw new DatasetException(file, "'label' holds " + labelType.getSimpleName()
                + " values, expected integers");
        }
    }

    private static int[] toLabels(Path file, Object values, int count, int classCount) throws DatasetException {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            long value = ((Number) Array.get(values, i)).longValue();
            if (value < 0 || value >= classCount) {
                throw new DatasetException(file, "label " + value + " of sample " + i + " is outside [0, "
                    + classCount + ") for the " + classCount + " classes");
            }
            labels[i] = (int) value;
        }
        return labels;
    }

    /** @return the h5 file */
    Path file() {
        return file;
    }

    /** @return the number of samples */
    int size() {
        return labels.length;
    }

    /** @return the points per sample, P */
    int points() {
        return points;
    }

    /**
     * @param row sample row in this file
     * @return its label
     */
    int label(int row) {
        return labels[row];
    }

    /**
     * @param row sample row in this file
     * @return its id from the id list, or {@code <file name>#<row>}
     */
    String id(int row) {
        return ids != null ? ids.get(row) : file.getFileName() + "#" + row;
    }

    /**
     * Reads the clouds of rows {@code start .. start+count-1} with one sliced read.
     *
     * @param start first row
     * @param count number of rows, at least 1
     * @return packed xyz coordinates per row
     * @throws DatasetException if the file has become unreadable
     */
    float[][] read(int start, int count) throws DatasetException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file, "h5 file no longer exists");
        }
        return dataOffset >= 0 ? readRaw(start, count) : readSlices(start, count);
    }

    private float[][] readRaw(int start, int count) throws DatasetException {
        long cloudBytes = 3L * points * valueSize;
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(count * cloudBytes)).order(byteOrder);
        long position = dataOffset + start * cloudBytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (bytes.hasRemaining()) {
                int n = channel.read(bytes, position + bytes.position());
                if (n < 0) {
                    throw new DatasetException(file, "truncated: samples " + start + ".." + (start + count - 1)
                        + " end at byte " + (position + bytes.capacity()) + " but the file has "
                        + (position + bytes.position()) + " bytes");
                }
            }
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | ArithmeticException e) {
            throw new DatasetException(file, "cannot read samples " + start + ".." + (start + count - 1) + ": " + e, e);
        }
        bytes.flip();
        float[][] clouds = new float[count][3 * points];
        for (float[] cloud : clouds) {
            if (valueSize == 4) {
                bytes.asFloatBuffer().get(cloud);
                bytes.position(bytes.position() + 4 * cloud.length);
            } else {
                for (int i = 0; i < cloud.length; i++) {
                    cloud[i] = (float) bytes.getDouble();
                }
            }
        }
        return clouds;
    }

    /** @return whether {@link #readPointLabels} has a dataset to read */
    boolean hasPointLabels() {
        return pointLabels != null;
    }

    /**
     * Reads the per-point labels of rows {@code start .. start+count-1}.
     *
     * @param start first row
     * @param count number of rows, at least 1
     * @return the labels per row, P each, as stored (not yet checked against any range)
     * @throws DatasetException if the file has become unreadable
     * @throws IllegalStateException if the part was opened without a per-point label dataset
     */
    int[][] readPointLabels(int start, int count) throws DatasetException {
        if (pointLabels == null) {
            throw new IllegalStateException(file + " was opened without per-point labels");
        }
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file, "h5 file no longer exists");
        }
        int[][] out = new int[count][points];
        String rows = "'" + pointLabels + "' of samples " + start + ".." + (start + count - 1);
        if (pointLabelLayout != null) {
            int size = pointLabelLayout.size;
            long rowBytes = (long) points * size;
            ByteBuffer bytes;
            try {
                bytes = ByteBuffer.allocate(Math.toIntExact(count * rowBytes)).order(pointLabelLayout.order);
            } catch (ArithmeticException e) {
                throw new DatasetException(file, "cannot read " + rows + ": too large", e);
            }
            long position = pointLabelLayout.offset + start * rowBytes;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                while (bytes.hasRemaining()) {
                    if (channel.read(bytes, position + bytes.position()) < 0) {
                        throw new DatasetException(file, "truncated while reading " + rows);
                    }
                }
            } catch (DatasetException e) {
                throw e;
            } catch (IOException e) {
                throw new DatasetException(file, "cannot read " + rows + ": " + e, e);
            }
            bytes.flip();
            for (int[] row : out) {
                for (int p = 0; p < points; p++) {
                    long v;
                    switch (size) {
                        case 1: v = pointLabelsSigned ? bytes.get() : bytes.get() & 0xFF; break;
                        case 2: v = pointLabelsSigned ? bytes.getShort() : bytes.getShort() & 0xFFFF; break;
                        case 4: v = pointLabelsSigned ? bytes.getInt() : bytes.getInt() & 0xFFFFFFFFL; break;
                        default: v = bytes.getLong(); break;
                    }
                    row[p] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
                }
            }
            return out;
        }
        Object block;
        try (HdfFile hdf = openHdf(file)) {
            io.jhdf.api.Dataset pid = dataset(hdf, file, pointLabels);
            int rank = pid.getDimensions().length;
            block = rank == 2 ? pid.getData(new long[] {start, 0}, new int[] {count, points})
                : pid.getData(new long[] {start, 0, 0}, new int[] {count, points, 1});
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file, "unreadable HDF5 data in " + rows + ": "
                + FileFormatException.quote(String.valueOf(e), 200), e);
        }
        for (int s = 0; s < count; s++) {
            Object row = Array.get(block, s);
            for (int p = 0; p < points; p++) {
                Object value = Array.get(row, p);
                if (value.getClass().isArray()) {
                    value = Array.get(value, 0);
                }
                long v = ((Number) value).longValue();
                out[s][p] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
            }
        }
        return out;
    }

    private float[][] readSlices(int start, int count) throws DatasetException {
        Object block;
        try (HdfFile hdf = openHdf(file)) {
            block = dataset(hdf, file, "data").getData(new long[] {start, 0, 0}, new int[] {count, points, 3});
        } catch (DatasetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(file, "unreadable HDF5 data at samples " + start + ".." + (start + count - 1)
                + ": " + FileFormatException.quote(String.valueOf(e), 200), e);
        }
        float[][] clouds = new float[count][3 * points];
        for (int s = 0; s < count; s++) {
            float[] packed = clouds[s];
            if (block instanceof float[][][]) {
                float[][] rows = ((float[][][]) block)[s];
                for (int p = 0; p < points; p++) {
                    System.arraycopy(rows[p], 0, packed, 3 * p, 3);
                }
            } else {
                double[][] rows = ((double[][][]) block)[s];
                for (int p = 0; p < 3 * points; p++) {
                    packed[p] = (float) rows[p / 3][p % 3];
                }
            }
        }
        return clouds;
    }
}
