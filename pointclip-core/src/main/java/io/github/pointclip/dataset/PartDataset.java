package io.github.pointclip.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.internal.JsonMessages;
import io.github.pointclip.segmentation.PartCategory;
import io.github.pointclip.segmentation.ShapeNetPart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ShapeNetPart in its HDF5 release layout ({@code shapenet_part_seg_hdf5_data}, folder
 * {@code hdf5_data}): a classification {@link Dataset} of the 16 categories whose samples also carry
 * the ground-truth part of every point ({@link #getParts(int)}, {@link #partStream()}).
 *
 * <p>Layout: {@code ply_data_<split><n>.h5} files, each with {@code data} float32 [S, 2048, 3],
 * {@code label} [S, 1] (the category index, {@link ShapeNetPart#category(int)}) and {@code pid}
 * [S, 2048] (the global part id of each point, the category's first part plus its local part); the
 * split's files listed in {@code <split>_hdf5_file_list.txt}, in order. Without that list the files
 * {@code ply_data_<split>*.h5} are taken, sorted by name. Train and validation files are never mixed
 * into the test split. Where {@code all_object_categories.txt} and
 * {@code catid_partid_to_overallid.json} are present they are checked against the built-in table.
 *
 * <p>Clouds keep all their points (2048): the segmentation references use every point. Labels and
 * shapes are checked when the dataset is opened; clouds and part labels are read a block at a time
 * (as the classification datasets) and each point's part is checked against its shape's category
 * then. Safe to share between threads; holds no open file.
 */
public final class PartDataset implements Dataset {

    private static final Logger LOG = LoggerFactory.getLogger(PartDataset.class);
    /** The per-point part dataset of each h5 file. */
    static final String PART_IDS = "pid";

    private final H5Dataset shapes;

    private PartDataset(H5Dataset shapes) {
        this.shapes = shapes;
    }

    /**
     * Opens a split of ShapeNetPart.
     *
     * @param dir the {@code hdf5_data} directory
     * @param split {@link Split#TEST}, {@link Split#TRAIN} or {@link Split#VALIDATION} (the release's
     *     {@code val} files)
     * @return the dataset, named {@code shapenetpart/<split>}
     * @throws DatasetException if the directory or a listed file is missing (naming the list), an h5
     *     file is unreadable or has the wrong shapes, a category label is outside 0–15, or the category
     *     and part tables of the directory disagree with ShapeNetPart's
     * @throws IOException if a file cannot be read
     */
    public static PartDataset open(Path dir, Split split) throws IOException {
        Objects.requireNonNull(split, "split");
        Datasets.requireDirectory(dir, "ShapeNetPart directory");
        checkCategories(dir.resolve("all_object_categories.txt"));
        checkPartIds(dir.resolve("catid_partid_to_overallid.json"));
        Path list = dir.resolve(split.folderName() + "_hdf5_file_list.txt");
        List<H5Part> parts = new ArrayList<>();
        if (Files.isRegularFile(list)) {
            List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String entry = lines.get(i).strip();
                if (!entry.isEmpty()) {
                    Path h5 = Datasets.resolveListed(dir, list, i + 1, entry);
                    parts.add(H5Part.open(h5, list, ShapeNetPart.CATEGORY_COUNT, null, null, PART_IDS));
                }
            }
            if (parts.isEmpty()) {
                throw new DatasetException(list, "lists no h5 file");
            }
        } else {
            List<Path> files = new ArrayList<>();
            String glob = "ply_data_" + split.folderName() + "*.h5";
            try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, glob)) {
                found.forEach(files::add);
            }
            if (files.isEmpty()) {
                throw new DatasetException(dir, "no " + list.getFileName() + " and no " + glob + " in the ShapeNetPart "
                    + "directory");
            }
            files.sort(null);
            for (Path h5 : files) {
                parts.add(H5Part.open(h5, null, ShapeNetPart.CATEGORY_COUNT, null, null, PART_IDS));
            }
        }
        PartDataset dataset = new PartDataset(new H5Dataset("shapenetpart/" + split.folderName(), split,
            ShapeNetPart.names(), parts));
        LOG.debug("opened {} from {}", dataset, dir);
        return dataset;
    }

    /** {@code Name<TAB>synset} per line; line k must be category k. */
    private static void checkCategories(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int k = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (k >= ShapeNetPart.CATEGORY_COUNT) {
                throw new DatasetException(file, "line " + (i + 1) + ": more than " + ShapeNetPart.CATEGORY_COUNT
                    + " categories");
            }
            PartCategory expected = ShapeNetPart.category(k);
            if (fields.length != 2 || !fields[0].toLowerCase(Locale.ROOT).equals(expected.name())
                || !fields[1].equals(expected.synset())) {
                throw new DatasetException(file, "line " + (i + 1) + ": '" + line + "', expected category " + k + " to be "
                    + expected.name() + " (" + expected.synset() + ")");
            }
            k++;
        }
        if (k != ShapeNetPart.CATEGORY_COUNT) {
            throw new DatasetException(file, "lists " + k + " categories, expected " + ShapeNetPart.CATEGORY_COUNT);
        }
    }

    /** {@code {"<synset>_<1-based part>": global id}}: each id must be the category's first part plus the part. */
    private static void checkPartIds(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Map<String, Integer> ids;
        try {
            ids = new ObjectMapper().readValue(file.toFile(), new TypeReference<Map<String, Integer>>() { });
        } catch (JsonProcessingException e) {
            throw new DatasetException(file, "not a JSON object of part ids: " + JsonMessages.of(e), e);
        }
        for (PartCategory c : ShapeNetPart.categories()) {
            for (int p = 0; p < c.partCount(); p++) {
                String key = c.synset() + "_" + (p + 1);
                Integer id = ids.get(key);
                if (id == null || id != c.globalPart(p)) {
                    throw new DatasetException(file, "'" + key + "' is " + id + ", expected " + c.globalPart(p) + " ("
                        + c.name() + " part " + p + ")");
                }
            }
        }
        if (ids.size() != ShapeNetPart.PART_COUNT) {
            throw new DatasetException(file, "has " + ids.size() + " part ids, expected " + ShapeNetPart.PART_COUNT);
        }
    }

    @Override
    public String name() {
        return shapes.name();
    }

    @Override
    public Split split() {
        return shapes.split();
    }

    /** @return the 16 lower-case category names in label order */
    @Override
    public List<String> classNames() {
        return shapes.classNames();
    }

    @Override
    public int size() {
        return shapes.size();
    }

    @Override
    public int label(int index) {
        return shapes.label(index);
    }

    @Override
    public String id(int index) {
        return shapes.id(index);
    }

    @Override
    public String contentIdentity(int index) throws IOException {
        return shapes.contentIdentity(index);
    }

    /**
     * @param index sample index
     * @return the sample's category, read without its cloud
     */
    public PartCategory category(int index) {
        return ShapeNetPart.category(label(index));
    }

    /** Reads a sample's cloud and category (the classification view); {@link #getParts} adds its parts. */
    @Override
    public Sample get(int index) throws IOException {
        return shapes.get(index);
    }

    @Override
    public Stream<Sample> stream() {
        return shapes.stream();
    }

    /**
     * Reads one shape with the part of every point.
     *
     * @param index sample index, 0 to {@code size() - 1}
     * @return the shape
     * @throws IndexOutOfBoundsException for a bad index
     * @throws DatasetException if its file is unreadable or a point's part id is not a part of its category
     *     (naming the file, row, point and id)
     * @throws IOException if it cannot be read
     */
    public PartSample getParts(int index) throws IOException {
        return partSample(shapes.getLabelled(index));
    }

    /**
     * Reads every shape with its parts, in index order, one block at a time. Read errors surface as an
     * {@link java.io.UncheckedIOException} whose cause is the {@link DatasetException}.
     *
     * @return a sequential, ordered stream of the {@link #size()} shapes
     */
    public Stream<PartSample> partStream() {
        return shapes.streamLabelled().map(l -> {
            try {
                return partSample(l);
            } catch (DatasetException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    private static PartSample partSample(H5Dataset.Labelled labelled) throws DatasetException {
        Sample s = labelled.sample();
        PartCategory category = ShapeNetPart.category(s.label());
        int[] pid = labelled.pointLabels();
        int[] local = new int[pid.length];
        for (int i = 0; i < pid.length; i++) {
            int global = pid[i];
            if (global < category.firstPart() || global >= category.firstPart() + category.partCount()) {
                throw new DatasetException(labelled.file(), "sample " + labelled.row() + " (" + category.name()
                    + "): point " + i + " has part id " + global + ", not one of " + category.name() + "'s parts "
                    + category.firstPart() + ".." + (category.firstPart() + category.partCount() - 1));
            }
            local[i] = global - category.firstPart();
        }
        return new PartSample(s.index(), category, s.id(), s.cloud(), local);
    }

    @Override
    public String toString() {
        return "PartDataset[" + name() + ", " + size() + " shapes]";
    }
}
