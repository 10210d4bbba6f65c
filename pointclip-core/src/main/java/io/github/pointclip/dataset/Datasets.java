package io.github.pointclip.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pointclip.internal.JsonMessages;
import io.github.pointclip.io.PointCloudFormat;
import io.github.pointclip.io.ReadOptions;
import io.github.pointclip.prompt.ClassNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the benchmark datasets and derives subsets from them.
 *
 * <pre>{@code
 * Dataset test = Datasets.modelNet40(Path.of("modelnet40_ply_hdf5_2048"), Split.TEST);
 * HoldOut tuning = Datasets.holdOut(Datasets.modelNet40(dir, Split.TRAIN), 0.2, 42);
 * try (Stream<Sample> samples = tuning.validation().stream()) {
 *     samples.forEach(s -> ...);
 * }
 * }</pre>
 *
 * <p>Opening a dataset reads and validates its file lists, shapes and labels, so a broken
 * dataset fails here with a {@link DatasetException} rather than halfway through an evaluation.
 */
public final class Datasets {

    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(.*?)_?(\\d+)");

    private Datasets() {
    }

    /**
     * Opens ModelNet40 in the {@code modelnet40_ply_hdf5_2048} layout: {@code shape_names.txt}
     * (the class names, one a line, in label order), {@code train_files.txt} /
     * {@code test_files.txt} (the h5 files of the split, one a line) and the h5 files with
     * {@code data} [N, P, 3] float32 and {@code label} [N, 1] uint8. A listed path that does not
     * exist as given (the release lists {@code data/modelnet40_ply_hdf5_2048/ply_data_test0.h5})
     * is looked up relative to {@code dir}, then by its file name in {@code dir}.
     *
     * <p>Where an h5 file has an id list beside it ({@code ply_data_test_0_id2file.json}, a JSON
     * array of names, or {@code ply_data_test_0_id2file.txt}, one name a line), its entries are
     * the sample ids; otherwise ids are {@code ply_data_test0.h5#row}.
     *
     * <p>Clouds keep all P points of the file; the references use the first 1024
     * ({@link io.github.pointclip.cloud.PointCloud#first(int)}).
     *
     * @param dir the dataset directory
     * @param split {@link Split#TRAIN} or {@link Split#TEST} ({@link Split#VALIDATION} reads
     *     {@code val_files.txt}, which the release does not ship)
     * @return the dataset, named {@code modelnet40/<split>}
     * @throws DatasetException if a file is missing (naming the list that named it), an h5 file
     *     is unreadable or has the wrong shape, data and labels differ in length, a label is
     *     outside the class list, or an id list has the wrong length
     * @throws IOException if a file cannot be read
     */
    public static Dataset modelNet40(Path dir, Split split) throws IOException {
        Objects.requireNonNull(split, "split");
        requireDirectory(dir, "ModelNet40 directory");
        Path shapeNames = dir.resolve("shape_names.txt");
        List<String> classNames = readClassNames(shapeNames);
        Path list = dir.resolve(split.folderName() + "_files.txt");
        if (!Files.isRegularFile(list)) {
            throw new DatasetException(list, "file list of the " + split + " split not found in the ModelNet40 directory");
        }
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        List<H5Part> parts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String entry = lines.get(i).strip();
            if (entry.isEmpty()) {
                continue;
            }
            Path h5 = resolveListed(dir, list, i + 1, entry);
            Path idsFile = idListOf(h5);
            List<String> ids = idsFile == null ? null : readIds(idsFile);
            parts.add(H5Part.open(h5, list, classNames.size(), ids, idsFile));
        }
        if (parts.isEmpty()) {
            throw new DatasetException(list, "lists no h5 file");
        }
        H5Dataset dataset = new H5Dataset("modelnet40/" + split.folderName(), split, classNames, parts);
        LOG.debug("opened {} from {}", dataset, dir);
        return dataset;
    }

    /**
     * Opens ShapeNetPart (part segmentation) in its HDF5 release layout; see {@link PartDataset}.
     *
     * @param dir the {@code hdf5_data} directory
     * @param split the split
     * @return the dataset, named {@code shapenetpart/<split>}
     * @throws DatasetException if a file is missing or inconsistent
     * @throws IOException if a file cannot be read
     */
    public static PartDataset shapeNetPart(Path dir, Split split) throws IOException {
        return PartDataset.open(dir, split);
    }

    /**
     * Opens one ScanObjectNN variant. {@code dir} is the release's {@code h5_files} directory
     * (holding {@code main_split/} and {@code main_split_nobg/}) or the variant's own folder; the
     * file is {@link ScanObjectNNVariant#fileName(Split)} with {@code data} [N, 2048, 3] float32
     * and {@code label} [N] integers over the 15 classes of {@link ClassNames#SCANOBJECTNN}. Ids
     * are {@code <file name>#row}.
     *
     * @param dir the {@code h5_files} directory or the variant's folder
     * @param variant which variant
     * @param split {@link Split#TRAIN} or {@link Split#TEST}
     * @return the dataset, named e.g. {@code scanobjectnn-pb_t50_rs/test}
     * @throws IllegalArgumentException for {@link Split#VALIDATION}
     * @throws DatasetException if the file is missing, unreadable or inconsistent, or
     *     {@code dir} is the folder of another variant
     * @throws IOException if a file cannot be read
     */
    public static Dataset scanObjectNN(Path dir, ScanObjectNNVariant variant, Split split) throws IOException {
        Objects.requireNonNull(variant, "variant");
        String fileName = variant.fileName(Objects.requireNonNull(split, "split"));
        requireDirectory(dir, "ScanObjectNN directory");
        Path file = dir.resolve(variant.folder()).resolve(fileName);
        if (!Files.isRegularFile(file)) {
            String dirName = dir.getFileName() == null ? "" : dir.getFileName().toString();
            boolean otherVariantFolder = (dirName.equals("main_split") || dirName.equals("main_split_nobg"))
                && !dirName.equals(variant.folder());
            if (otherVariantFolder) { // OBJ_BG and OBJ_ONLY share file names: never read the wrong one
                throw new DatasetException(dir, "is the folder of another variant; " + variant + " lives in "
                    + variant.folder() + "/");
            }
            Path direct = dir.resolve(fileName);
            if (!Files.isRegularFile(direct)) {
                throw new DatasetException(file, "ScanObjectNN " + variant + " " + split
                    + " file not found (nor " + direct + ")");
            }
            file = direct;
        }
        List<String> classNames = ClassNames.SCANOBJECTNN;
        H5Part part = H5Part.open(file, null, classNames.size(), null, null);
        String name = "scanobjectnn-" + variant.name().toLowerCase(java.util.Locale.ROOT) + "/" + split.folderName();
        H5Dataset dataset = new H5Dataset(name, split, classNames, List.of(part));
        LOG.debug("opened {} from {}", dataset, file);
        return dataset;
    }

    /**
     * Opens a folder per class with default {@link ReadOptions}.
     *
     * @param root the folder holding one sub-folder per class
     * @param split which split to read
     * @return the dataset
     * @throws IOException as {@link #folder(Path, Split, ReadOptions)}
     * @see #folder(Path, Split, ReadOptions)
     */
    public static Dataset folder(Path root, Split split) throws IOException {
        return folder(root, split, ReadOptions.defaults());
    }

    /**
     * Opens a folder per class of point or mesh files, one sample a file, in any format
     * {@link io.github.pointclip.io.PointClouds} reads (files with other extensions are ignored).
     * The class names are the sub-folder names, sorted; labels follow that order. Three layouts
     * are recognised:
     * <ul>
     *   <li>split folders, as in the original ModelNet40: {@code root/airplane/train/airplane_0001.off};
     *       the split's folder is {@link Split#folderName()} ({@code train}, {@code test}, {@code val});</li>
     *   <li>a split list beside the class folders, as in ModelNet40's resampled release:
     *       {@code root/modelnet40_test.txt} names shapes ({@code airplane_0627}) whose files are
     *       {@code root/airplane/airplane_0627.txt}; the list is the file matching
     *       {@code *_<split folder name>.txt}, or, where several match, the one whose prefix
     *       starts the root folder's name ({@code modelnet40_test.txt} in
     *       {@code modelnet40_normal_resampled/});</li>
     *   <li>neither: the flat folder is the {@link Split#TEST} split, every file of
     *       {@code root/<class>/}; asking it for another split fails, so that nothing trains on
     *       what an evaluation scores (divide it deliberately with {@link #holdOut}).</li>
     * </ul>
     * Samples are ordered by class, then file name; ids are the paths relative to {@code root}
     * with {@code /} separators, e.g. {@code chair/chair_0891.txt}.
     *
     * @param root the folder holding one sub-folder per class
     * @param split which split to read
     * @param options how each file is read (e.g. {@code samplePoints} for meshes)
     * @return the dataset, named {@code <root folder name>/<split>}
     * @throws DatasetException if {@code root} is missing or has no class folders, a class
     *     folder (or its split folder) is missing or holds no point files, a split list names a
     *     shape that has no file, several split lists match, or a flat folder (no split
     *     folders, no split list) is asked for a split other than {@link Split#TEST}
     * @throws IOException if a folder cannot be listed
     */
    public static Dataset folder(Path root, Split split, ReadOptions options) throws IOException {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(options, "options");
        requireDirectory(root, "dataset root");
        List<Path> classDirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry) && !entry.getFileName().toString().startsWith(".")) {
                    classDirs.add(entry);
                }
            }
        }
        if (classDirs.isEmpty()) {
            throw new DatasetException(root, "has no class folders");
        }
        classDirs.sort(null);
        List<String> classNames = new ArrayList<>();
        for (Path dir : classDirs) {
            classNames.add(dir.getFileName().toString());
        }
        boolean splitFolders = false;
        for (Path dir : classDirs) {
            for (Split s : Split.values()) {
                splitFolders |= Files.isDirectory(dir.resolve(s.folderName()));
            }
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        if (splitFolders) {
            for (int c = 0; c < classDirs.size(); c++) {
                Path dir = classDirs.get(c).resolve(split.folderName());
                if (!Files.isDirectory(dir)) {
                    throw new DatasetException(dir, "class '" + classNames.get(c) + "' has no " + split.folderName()
                        + "/ folder while other classes have split folders");
                }
                addClassFiles(dir, c, files, labels);
            }
        } else {
            for (int c = 0; c < classDirs.size(); c++) {
                addClassFiles(classDirs.get(c), c, files, labels);
            }
            Path list = splitList(root, split);
            if (list != null) {
                selectListed(list, files, labels);
            } else if (split != Split.TEST) {
                // a flat folder is one split: serving it as every split would train on what eval scores
                throw new DatasetException(root, "has no " + split.folderName() + "/ folder (a flat folder of class "
                    + "folders is its test split only); add train/ and test/ folders to split it");
            }
        }
        List<String> ids = new ArrayList<>(files.size());
        for (Path file : files) {
            ids.add(root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/"));
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        String rootName = root.toAbsolutePath().normalize().getFileName() == null ? "folder"
            : root.toAbsolutePath().normalize().getFileName().toString();
        FolderDataset dataset = new FolderDataset(rootName + "/" + split.folderName(), split, classNames, files, ids,
            labelArray, options);
        LOG.debug("opened {} from {}", dataset, root);
        return dataset;
    }

    /**
     * Divides a dataset into training and validation parts, stratified by class and
     * deterministic: for each class with n samples, {@code round(fraction · n)} of them, drawn by
     * a shuffle seeded from {@code seed} and the class index, go to validation, the rest to
     * training. Both parts keep the original order. The same dataset, fraction and seed always
     * give the same parts, and one class's draw does not depend on the other classes.
     *
     * @param dataset the dataset to divide, usually a {@link Split#TRAIN} split
     * @param fraction share of each class held out, in (0, 1)
     * @param seed the random seed
     * @return the two disjoint parts, together covering {@code dataset}
     * @throws IllegalArgumentException if {@code fraction} is not in (0, 1)
     */
    public static HoldOut holdOut(Dataset dataset, double fraction, long seed) {
        Objects.requireNonNull(dataset, "dataset");
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("hold-out fraction must be in (0, 1), got " + fraction);
        }
        boolean[] held = new boolean[dataset.size()];
        int[][] byClass = indicesByClass(dataset);
        for (int c = 0; c < byClass.length; c++) {
            int[] members = shuffled(byClass[c], seed, c);
            long count = Math.round(fraction * members.length);
            for (int k = 0; k < count; k++) {
                held[members[k]] = true;
            }
        }
        String tag = "holdout(" + fraction + ", seed " + seed + ")";
        return new HoldOut(
            new SubsetDataset(dataset, select(held, false), dataset.name() + "/" + tag + "/train", Split.TRAIN),
            new SubsetDataset(dataset, select(held, true), dataset.name() + "/" + tag + "/val", Split.VALIDATION));
    }

    /**
     * Draws a few-shot training set: {@code shots} samples of every class, chosen by a shuffle
     * seeded from {@code seed} and the class index, kept in the original order. A class with
     * fewer samples contributes all of them (such classes are logged as one warning).
     *
     * @param dataset the dataset to draw from
     * @param shots samples per class, positive
     * @param seed the random seed
     * @return the subset, with the split of {@code dataset}
     * @throws IllegalArgumentException if {@code shots} is not positive
     */
    public static Dataset fewShot(Dataset dataset, int shots, long seed) {
        Objects.requireNonNull(dataset, "dataset");
        if (shots <= 0) {
            throw new IllegalArgumentException("shots per class must be positive, got " + shots);
        }
        boolean[] chosen = new boolean[dataset.size()];
        int[][] byClass = indicesByClass(dataset);
        List<String> tooSmall = new ArrayList<>();
        for (int c = 0; c < byClass.length; c++) {
            int[] members = shuffled(byClass[c], seed, c);
            if (members.length < shots) {
                tooSmall.add("'" + dataset.classNames().get(c) + "' (" + members.length + ")");
            }
            for (int k = 0; k < Math.min(shots, members.length); k++) {
                chosen[members[k]] = true;
            }
        }
        if (!tooSmall.isEmpty()) {
            LOG.warn("{}: {} of {} classes have fewer samples than the {} shots asked for and give all they have: {}",
                dataset.name(), tooSmall.size(), byClass.length, shots, cappedList(tooSmall, MAX_LISTED_CLASSES));
        }
        return new SubsetDataset(dataset, select(chosen, true),
            dataset.name() + "/" + shots + "-shot(seed " + seed + ")", dataset.split());
    }

    /** Most classes one summary line names. */
    private static final int MAX_LISTED_CLASSES = 10;

    /** @return the first {@code max} items joined by ", ", with "and N more" when some are left out */
    static String cappedList(List<String> items, int max) {
        String shown = String.join(", ", items.subList(0, Math.min(max, items.size())));
        return items.size() <= max ? shown : shown + " and " + (items.size() - max) + " more";
    }

    /**
     * Returns the samples at the given indices of a dataset, re-indexed from 0 in ascending order
     * of the original index (duplicates are dropped).
     *
     * @param dataset the dataset
     * @param indices indices into {@code dataset}
     * @return the subset, with the split of {@code dataset}
     * @throws IndexOutOfBoundsException if an index is outside the dataset
     */
    public static Dataset subset(Dataset dataset, int[] indices) {
        Objects.requireNonNull(dataset, "dataset");
        int[] sorted = Arrays.stream(indices).distinct().sorted().toArray();
        for (int index : sorted) {
            Objects.checkIndex(index, dataset.size());
        }
        return new SubsetDataset(dataset, sorted, dataset.name() + "/subset(" + sorted.length + ")", dataset.split());
    }

    // ---- helpers -------------------------------------------------------------------------------

    static void requireDirectory(Path dir, String what) throws DatasetException {
        Objects.requireNonNull(dir, what);
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir, what + " not found" + (Files.exists(dir) ? " (not a directory)" : ""));
        }
    }

    private static List<String> readClassNames(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file, "class list not found");
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!seen.add(name)) {
                throw new DatasetException(file, "line " + (i + 1) + ": class '" + name + "' is listed twice");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new DatasetException(file, "lists no class");
        }
        return List.copyOf(names);
    }

    /** Finds the file a list line names: as given, relative to the dataset, or by file name. */
    static Path resolveListed(Path dir, Path list, int line, String entry) throws DatasetException {
        Path listed;
        try {
            listed = Path.of(entry);
        } catch (InvalidPathException e) {
            throw new DatasetException(list, "line " + line + ": '" + entry + "' is not a valid path", e);
        }
        Path[] candidates = {dir.resolve(listed), dir.resolve(listed.getFileName())};
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new DatasetException(candidates[1], list, "h5 file not found (line " + line + " lists '" + entry
            + "'; also looked for " + candidates[0] + ")", null);
    }

    /** The id list beside an h5 file: ply_data_test0.h5 has ply_data_test_0_id2file.json or .txt. */
    private static Path idListOf(Path h5) {
        String stem = h5.getFileName().toString().replaceFirst("\\.h5$", "");
        List<String> stems = new ArrayList<>();
        Matcher m = TRAILING_NUMBER.matcher(stem);
        if (m.matches()) {
            stems.add(m.group(1) + "_" + m.group(2));
        }
        stems.add(stem);
        for (String s : stems) {
            for (String extension : List.of(".json", ".txt")) {
                Path candidate = h5.resolveSibling(s + "_id2file" + extension);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static List<String> readIds(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".json")) {
            try {
                return new ObjectMapper().readValue(file.toFile(), new TypeReference<List<String>>() { });
            } catch (JsonProcessingException e) {
                throw new DatasetException(file, "not a JSON array of names: " + JsonMessages.of(e), e);
            }
        }
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                ids.add(line.strip());
            }
        }
        return ids;
    }

    private static void addClassFiles(Path dir, int label, List<Path> files, List<Integer> labels) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && PointCloudFormat.fromPath(entry).isPresent()) {
                    found.add(entry);
                }
            }
        }
        if (found.isEmpty()) {
            throw new DatasetException(dir, "class folder holds no point or mesh files (extensions "
                + knownExtensions() + ")");
        }
        found.sort(null);
        files.addAll(found);
        for (int i = 0; i < found.size(); i++) {
            labels.add(label);
        }
    }

    private static List<String> knownExtensions() {
        List<String> extensions = new ArrayList<>();
        for (PointCloudFormat format : PointCloudFormat.values()) {
            extensions.addAll(format.extensions());
        }
        return extensions;
    }

    /** The one {@code *_<split>.txt} list in the root, or null if there is none. */
    private static Path splitList(Path root, Split split) throws IOException {
        List<Path> lists = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "*_" + split.folderName() + ".txt")) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    lists.add(entry);
                }
            }
        }
        if (lists.size() > 1) {
            // modelnet40_normal_resampled/ holds modelnet10_* and modelnet40_* lists: take the one the folder is named after
            Path rootName = root.toAbsolutePath().normalize().getFileName();
            List<Path> named = new ArrayList<>();
            for (Path list : lists) {
                String prefix = list.getFileName().toString().replaceFirst("_" + split.folderName() + "\\.txt$", "");
                if (rootName != null && rootName.toString().startsWith(prefix)) {
                    named.add(list);
                }
            }
            if (named.size() != 1) {
                lists.sort(null);
                throw new DatasetException(root, "several " + split.folderName() + " lists match *_"
                    + split.folderName() + ".txt and none is named after the folder: " + lists);
            }
            return named.get(0);
        }
        return lists.isEmpty() ? null : lists.get(0);
    }

    /** Keeps, in list order, the files whose names (without extension) the list names. */
    private static void selectListed(Path list, List<Path> files, List<Integer> labels) throws IOException {
        Map<String, Integer> byStem = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            byStem.putIfAbsent(stem(files.get(i)), i);
        }
        List<Path> selectedFiles = new ArrayList<>();
        List<Integer> selectedLabels = new ArrayList<>();
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        for (int line = 0; line < lines.size(); line++) {
            String name = lines.get(line).strip();
            if (name.isEmpty()) {
                continue;
            }
            Integer index = byStem.get(name);
            if (index == null) {
                throw new DatasetException(list, "line " + (line + 1) + ": no file for shape '" + name
                    + "' in any class folder");
            }
            selectedFiles.add(files.get(index));
            selectedLabels.add(labels.get(index));
        }
        if (selectedFiles.isEmpty()) {
            throw new DatasetException(list, "lists no shape");
        }
        files.clear();
        files.addAll(selectedFiles);
        labels.clear();
        labels.addAll(selectedLabels);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static int[][] indicesByClass(Dataset dataset) {
        int classes = dataset.classNames().size();
        int[] counts = new int[classes];
        int[] labels = dataset.labels();
        for (int label : labels) {
            counts[label]++;
        }
        int[][] byClass = new int[classes][];
        for (int c = 0; c < classes; c++) {
            byClass[c] = new int[counts[c]];
            counts[c] = 0;
        }
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][counts[labels[i]]++] = i;
        }
        return byClass;
    }

    /** A Fisher–Yates shuffle of a copy, seeded by the seed and the class alone. */
    private static int[] shuffled(int[] members, long seed, int classIndex) {
        int[] out = members.clone();
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (classIndex + 1)));
        for (int i = out.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    private static int[] select(boolean[] flags, boolean value) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag == value ? 1 : 0;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] == value) {
                out[k++] = i;
            }
        }
        return out;
    }
}
