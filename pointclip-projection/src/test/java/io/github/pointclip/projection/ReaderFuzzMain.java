package io.github.pointclip.projection;

import io.github.pointclip.cloud.PointCloud;
import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.DatasetException;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import io.github.pointclip.io.NpyArray;
import io.github.pointclip.io.PointCloudFormatException;
import io.github.pointclip.io.PointClouds;
import io.github.pointclip.projection.spi.Projector;
import io.github.pointclip.projection.spi.Projectors;
import io.github.pointclip.prompt.ClassNames;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Child-JVM entry point of {@link ReaderFuzzTest}: mutates a seed file of every supported format
 * with a seeded random generator (byte flips, truncation, header counts set to extremes, negative
 * and huge shapes, NaN/Inf strings, chunks deleted or repeated, control bytes), reads each mutant
 * and projects the result, each with a time limit.
 *
 * <p>Every outcome must be a valid result (a cloud of finite coordinates whose depth maps are
 * finite) or the format's checked exception ({@link PointCloudFormatException}, for h5 datasets
 * {@link DatasetException}) with a one-line message that starts with the file. Anything else is
 * printed as a {@code BAD} line and the mutant kept under {@code failures/} for reproduction.
 *
 * <p>Arguments: work directory, seed, number of files. Prints one {@code BAD} line per failure
 * and a last line {@code files=N valid=V rejected=R bad=B}.
 */
public final class ReaderFuzzMain {

    /** Per-file limit for reading and projecting; a small file that takes longer hangs. */
    private static final long LIMIT_SECONDS = 10;

    private static final String[] EXTREME_NUMBERS = {
        "0", "-1", "1", "2147483647", "2147483648", "-2147483648", "4294967295", "4294967296",
        "9223372036854775807", "-9223372036854775808", "99999999999999999999", "100000000", "1e308", "nan", "inf"};
    private static final String[] NON_FINITE = {
        "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "-Infinity", "1e39", "-1e39", "3.4028236e38", "1e-50",
        "0x10", "1.5.5", "--1", "+", "1e", "e5", ".", "1,5"};
    private static final String[] SHAPES = {
        "-1, 3", "10, 100000000", "2147483647, 2147483647", "", "3,", "1, 3, 1", "0, 3", "3, 0", "-3, -3",
        "4294967296, 3", "100000, 100000, 100000", "2, 3L", "99999999999999999999999, 3", "1e3, 3"};
    private static final int[] EXTREME_INTS = {-1, 0x7fffffff, 0x80000000, 0, 1, 0x10000, 0x7fff, 0xffff};
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private ReaderFuzzMain() {
    }

    /**
     * @param args work directory, seed, number of files
     * @throws Exception if the seeds cannot be written
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int files = Integer.parseInt(args[2]);
        Map<String, byte[]> seeds = seeds(dir.resolve("seeds"));
        List<String> names = new ArrayList<>(seeds.keySet());
        List<Projector> projectors = List.of(Projectors.byName("v2"), Projectors.byName("v1"));
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
        // every seed itself reads as a valid result, so that mutants start from working files
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Path caseDir = dir.resolve("case");
            Path file = caseDir.resolve(name.endsWith(".h5") ? "ply_data_test0.h5" : "seed-" + name);
            writeCase(caseDir, file, seeds.get(name));
            String failure = null;
            try {
                if (!(name.endsWith(".h5") ? readDataset(caseDir, file, projectors.get(0))
                    : readFile(file, projectors.get(0)))) {
                    failure = "rejected";
                }
            } catch (Exception | AssertionError e) {
                failure = describe(e);
            }
            if (failure != null) {
                System.out.println("BAD\tseed " + name + "\t\t" + failure);
            }
            deleteCase(caseDir);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int valid = 0;
        int rejected = 0;
        int bad = 0;
        for (int i = 0; i < files; i++) {
            String name = names.get(i % names.size());
            StringBuilder how = new StringBuilder();
            byte[] mutant = mutate(seeds.get(name), name, random, how);
            Path caseDir = dir.resolve("case");
            Path file = caseDir.resolve(name.endsWith(".h5") ? "ply_data_test0.h5" : "case-" + i + "-" + name);
            writeCase(caseDir, file, mutant);
            Projector projector = projectors.get(i % projectors.size());
            Future<Boolean> task = worker.submit(() -> name.endsWith(".h5") ? readDataset(caseDir, file, projector)
                : readFile(file, projector));
            String failure = null;
            try {
                if (task.get(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                    valid++;
                } else {
                    rejected++;
                }
            } catch (TimeoutException e) {
                failure = "no outcome within " + LIMIT_SECONDS + " s (hang?)";
            } catch (ExecutionException e) {
                failure = describe(e.getCause());
            }
            if (failure != null) {
                bad++;
                Path kept = dir.resolve("failures").resolve("case-" + i + "-" + name);
                Files.createDirectories(kept.getParent());
                Files.write(kept, mutant);
                System.out.println("BAD\t" + kept + "\t" + how + "\t" + failure);
                if (failure.startsWith("no outcome")) {
                    break; // the worker is stuck
                }
            }
            deleteCase(caseDir);
        }
        System.out.println("files=" + files + " valid=" + valid + " rejected=" + rejected + " bad=" + bad);
        System.out.flush();
        System.exit(0); // the worker may be stuck in a hang that was reported
    }

    private static String describe(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        String[] lines = trace.toString().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, 8); i++) {
            b.append(lines[i].trim()).append(" | ");
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- outcomes

    /** @return true for a valid result, false for the format's exception; throws otherwise */
    private static boolean readFile(Path file, Projector projector) throws Exception {
        PointCloud cloud;
        try {
            cloud = PointClouds.read(file);
        } catch (PointCloudFormatException e) {
            checkMessage(file, e.getMessage());
            return false;
        }
        checkCloud(cloud, projector);
        return true;
    }

    private static boolean readDataset(Path dir, Path file, Projector projector) throws Exception {
        try {
            Dataset dataset = Datasets.modelNet40(dir, Split.TEST);
            for (int i = 0; i < dataset.size(); i++) {
                checkCloud(dataset.get(i).cloud(), projector);
            }
            return true;
        } catch (DatasetException e) {
            checkMessage(file, e.getMessage());
            return false;
        }
    }

    private static void checkMessage(Path file, String message) {
        if (message == null || !message.startsWith(file.toString()) || message.contains("\n")
            || message.contains("\r")) {
            throw new AssertionError("not a one-line message naming the file: " + message);
        }
    }

    private static void checkCloud(PointCloud cloud, Projector projector) {
        if (cloud.size() < 1) {
            throw new AssertionError("empty cloud");
        }
        for (float v : cloud.toArray()) {
            if (!Float.isFinite(v)) {
                throw new AssertionError("non-finite coordinate " + v + " in a valid result");
            }
        }
        float[] maps = projector.projectInto(cloud, null);
        if (maps.length < projector.outputLength()) {
            throw new AssertionError("projection wrote " + maps.length + " values");
        }
        for (int i = 0; i < projector.outputLength(); i++) {
            if (!Float.isFinite(maps[i])) {
                throw new AssertionError("non-finite depth " + maps[i] + " at " + i + " for cloud " + cloud);
            }
        }
    }

    // ---------------------------------------------------------------- mutation

    static byte[] mutate(byte[] original, String name, SplittableRandom random, StringBuilder how) {
        byte[] bytes = original.clone();
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            int kind = random.nextInt(9);
            if (bytes.length == 0) {
                break;
            }
            switch (kind) {
                case 0 -> { // byte flips
                    int n = 1 + random.nextInt(8);
                    for (int k = 0; k < n; k++) {
                        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                    }
                    how.append("flip ").append(n).append("; ");
                }
                case 1 -> { // truncation
                    int keep = random.nextInt(bytes.length);
                    bytes = java.util.Arrays.copyOf(bytes, keep);
                    how.append("truncate ").append(keep).append("; ");
                }
                case 2, 3 -> { // a number in the header set to an extreme
                    String value = EXTREME_NUMBERS[random.nextInt(EXTREME_NUMBERS.length)];
                    bytes = replaceNumber(bytes, Math.min(bytes.length, 700), value, random);
                    how.append("header number ").append(value).append("; ");
                }
                case 4 -> { // a number anywhere set to NaN, Inf or not a number
                    String value = NON_FINITE[random.nextInt(NON_FINITE.length)];
                    bytes = replaceNumber(bytes, bytes.length, value, random);
                    how.append("number ").append(value).append("; ");
                }
                case 5 -> { // a binary count field set to an extreme
                    int at = binaryCountOffset(name, bytes.length, random);
                    int value = EXTREME_INTS[random.nextInt(EXTREME_INTS.length)];
                    boolean big = random.nextBoolean();
                    if (at + 4 <= bytes.length) {
                        ByteBuffer.wrap(bytes, at, 4).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                            .putInt(value);
                    }
                    how.append("int at ").append(at).append(" = ").append(value).append("; ");
                }
                case 6 -> { // an npy shape set to a negative or huge one
                    String shape = SHAPES[random.nextInt(SHAPES.length)];
                    String text = new String(bytes, StandardCharsets.ISO_8859_1);
                    Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(text);
                    if (m.find()) {
                        text = text.substring(0, m.start(1)) + shape + text.substring(m.end(1));
                        bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                    } else {
                        bytes = replaceNumber(bytes, Math.min(bytes.length, 700), "-" + (1 + random.nextInt(9)),
                            random);
                    }
                    how.append("shape (").append(shape).append("); ");
                }
                case 7 -> { // a chunk deleted or repeated
                    int from = random.nextInt(bytes.length);
                    int len = Math.min(bytes.length - from, 1 + random.nextInt(64));
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(bytes, 0, from + (random.nextBoolean() ? len : 0));
                    out.write(bytes, from, bytes.length - from);
                    if (random.nextBoolean()) {
                        out.reset();
                        out.write(bytes, 0, from);
                        out.write(bytes, from + len, bytes.length - from - len);
                    }
                    bytes = out.toByteArray();
                    how.append("chunk ").append(from).append('+').append(len).append("; ");
                }
                default -> { // control bytes, high bytes or a newline in the header
                    byte[] junk = {0, 1, 7, 10, 13, 27, (byte) 0x80, (byte) 0xff, '"', '\'', ',', '#'};
                    int at = random.nextInt(Math.min(bytes.length, 300));
                    bytes[at] = junk[random.nextInt(junk.length)];
                    how.append("junk at ").append(at).append("; ");
                }
            }
        }
        return bytes;
    }

    private static int binaryCountOffset(String name, int length, SplittableRandom random) {
        if (name.endsWith(".stl") && random.nextBoolean()) {
            return 80; // the triangle count of a binary STL
        }
        if (name.endsWith(".npy") && random.nextBoolean()) {
            return 8; // the header length
        }
        return length < 4 ? 0 : random.nextInt(length - 3);
    }

    private static byte[] replaceNumber(byte[] bytes, int within, String value, SplittableRandom random) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Matcher m = NUMBER.matcher(text.substring(0, within));
        List<int[]> found = new ArrayList<>();
        while (m.find()) {
            found.add(new int[] {m.start(), m.end()});
        }
        if (found.isEmpty()) {
            return bytes;
        }
        int[] pick = found.get(random.nextInt(found.size()));
        return (text.substring(0, pick[0]) + value + text.substring(pick[1])).getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- cases on disk

    private static void writeCase(Path caseDir, Path file, byte[] content) throws IOException {
        Files.createDirectories(caseDir);
        if (file.getFileName().toString().endsWith(".h5")) {
            Files.writeString(caseDir.resolve("shape_names.txt"), String.join("\n", ClassNames.MODELNET40) + "\n");
            Files.writeString(caseDir.resolve("test_files.txt"), file.getFileName() + "\n");
        }
        Files.write(file, content);
    }

    private static void deleteCase(Path caseDir) throws IOException {
        try (var files = Files.list(caseDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
    }

    // ---------------------------------------------------------------- seeds

    /** A 24-point cloud on a unit cube's edges, exact in float32. */
    private static float[] cloud() {
        float[] xyz = new float[3 * 24];
        for (int i = 0; i < 24; i++) {
            xyz[3 * i] = (i % 2) * 0.5f - 0.25f;
            xyz[3 * i + 1] = (i / 2 % 3) * 0.25f - 0.25f;
            xyz[3 * i + 2] = (i / 6) * 0.125f;
        }
        return xyz;
    }

    private static final float[] CUBE = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1};
    private static final int[][] QUADS = {{0, 3, 2, 1}, {4, 5, 6, 7}, {0, 1, 5, 4}, {1, 2, 6, 5}, {2, 3, 7, 6},
        {3, 0, 4, 7}};

    private static String rows(float[] xyz, String separator, int extraColumns) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < xyz.length / 3; i++) {
            b.append(xyz[3 * i]).append(separator).append(xyz[3 * i + 1]).append(separator).append(xyz[3 * i + 2]);
            for (int c = 0; c < extraColumns; c++) {
                b.append(separator).append((i * 7 + c * 3) % 256);
            }
            b.append('\n');
        }
        return b.toString();
    }

    static Map<String, byte[]> seeds(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        float[] xyz = cloud();
        int n = xyz.length / 3;
        seeds.put("plain.xyz", ascii("# a cloud\n" + rows(xyz, " ", 0)));
        seeds.put("colours.txt", ascii(rows(xyz, "\t", 3)));
        seeds.put("named.csv", ascii("x,y,z,intensity\n" + rows(xyz, ",", 1)));
        seeds.put("leica.pts", ascii(n + "\n" + rows(xyz, " ", 4)));

        Path npy = dir.resolve("f4.npy");
        NpyArray.write(npy, xyz, n, 3);
        seeds.put("f4.npy", Files.readAllBytes(npy));
        seeds.put("f8.npy", npyF8(xyz));

        StringBuilder plyAscii = new StringBuilder("ply\nformat ascii 1.0\ncomment cube\nelement vertex 8\n"
            + "property float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\n"
            + "property uchar blue\nelement face 6\nproperty list uchar int vertex_indices\nend_header\n");
        for (int v = 0; v < 8; v++) {
            plyAscii.append(CUBE[3 * v]).append(' ').append(CUBE[3 * v + 1]).append(' ').append(CUBE[3 * v + 2])
                .append(" 10 20 30\n");
        }
        for (int[] q : QUADS) {
            plyAscii.append("4 ").append(q[0]).append(' ').append(q[1]).append(' ').append(q[2]).append(' ')
                .append(q[3]).append('\n');
        }
        seeds.put("mesh.ply", ascii(plyAscii.toString()));
        Path plyLe = dir.resolve("le.ply");
        float[] normals = new float[xyz.length];
        for (int i = 0; i < normals.length; i += 3) {
            normals[i + 2] = 1;
        }
        PointClouds.writePly(PointCloud.builder().coordinates(xyz).attribute("normal", normals).build(), plyLe);
        seeds.put("le.ply", Files.readAllBytes(plyLe));
        seeds.put("be.ply", plyBigEndianMesh());

        String pcdHeader = "# .PCD v0.7\nVERSION 0.7\nFIELDS x y z rgb\nSIZE 4 4 4 4\nTYPE F F F U\nCOUNT 1 1 1 1\n"
            + "WIDTH " + n + "\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS " + n + "\n";
        seeds.put("ascii.pcd", ascii(pcdHeader + "DATA ascii\n" + rows(xyz, " ", 1)));
        ByteBuffer pcd = ByteBuffer.allocate(16 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            pcd.putFloat(xyz[3 * i]).putFloat(xyz[3 * i + 1]).putFloat(xyz[3 * i + 2]).putInt(i * 0x010203);
        }
        seeds.put("binary.pcd", concat(ascii(pcdHeader + "DATA binary\n"), pcd.array()));
        ByteBuffer fieldMajor = ByteBuffer.allocate(16 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int field = 0; field < 4; field++) {
            for (int i = 0; i < n; i++) {
                if (field < 3) {
                    fieldMajor.putFloat(xyz[3 * i + field]);
                } else {
                    fieldMajor.putInt(i * 0x010203);
                }
            }
        }
        byte[] lzf = lzf(fieldMajor.array());
        ByteBuffer sizes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(lzf.length).putInt(16 * n);
        seeds.put("compressed.pcd", concat(concat(ascii(pcdHeader + "DATA binary_compressed\n"), sizes.array()),
            lzf));

        StringBuilder off = new StringBuilder("OFF\n# cube\n8 6 12\n");
        for (int v = 0; v < 8; v++) {
            off.append(CUBE[3 * v]).append(' ').append(CUBE[3 * v + 1]).append(' ').append(CUBE[3 * v + 2])
                .append('\n');
        }
        for (int[] q : QUADS) {
            off.append("4 ").append(q[0]).append(' ').append(q[1]).append(' ').append(q[2]).append(' ').append(q[3])
                .append('\n');
        }
        seeds.put("cube.off", ascii(off.toString()));
        StringBuilder obj = new StringBuilder("# cube\no cube\n");
        for (int v = 0; v < 8; v++) {
            obj.append("v ").append(CUBE[3 * v]).append(' ').append(CUBE[3 * v + 1]).append(' ')
                .append(CUBE[3 * v + 2]).append('\n');
        }
        obj.append("vt 0 0\nvn 0 0 1\n");
        for (int f = 0; f < QUADS.length; f++) {
            int[] q = QUADS[f];
            obj.append(f % 2 == 0 ? "f " + (q[0] + 1) + "/1/1 " + (q[1] + 1) + "/1/1 " + (q[2] + 1) + "/1/1 "
                + (q[3] + 1) + "/1/1\n" : "f " + (q[0] - 8) + "//1 " + (q[1] - 8) + "//1 " + (q[2] - 8) + "//1\n");
        }
        seeds.put("cube.obj", ascii(obj.toString()));
        seeds.put("ascii.stl", ascii(stlAscii()));
        seeds.put("binary.stl", stlBinary());
        seeds.put("modelnet.h5", h5(dir.resolve("modelnet.h5"), false));
        seeds.put("chunked.h5", h5(dir.resolve("chunked.h5"), true));
        return seeds;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] npyF8(float[] xyz) {
        int n = xyz.length / 3;
        StringBuilder header = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ", 4), }");
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 32 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(ascii(header.toString()));
        for (int i = 0; i < n; i++) {
            b.putDouble(xyz[3 * i]).putDouble(xyz[3 * i + 1]).putDouble(xyz[3 * i + 2]).putDouble(i);
        }
        return b.array();
    }

    private static byte[] plyBigEndianMesh() {
        String header = "ply\nformat binary_big_endian 1.0\nelement vertex 8\nproperty double x\nproperty double y\n"
            + "property double z\nproperty list uchar int neighbours\nproperty short label\n"
            + "element face 6\nproperty list uchar uint vertex_indices\nproperty uchar flags\nend_header\n";
        ByteBuffer b = ByteBuffer.allocate(header.length() + 8 * 32 + 6 * 18).order(ByteOrder.BIG_ENDIAN);
        b.put(ascii(header));
        for (int v = 0; v < 8; v++) {
            b.putDouble(CUBE[3 * v]).putDouble(CUBE[3 * v + 1]).putDouble(CUBE[3 * v + 2]);
            b.put((byte) 1).putInt((v + 1) % 8).putShort((short) v);
        }
        for (int[] q : QUADS) {
            b.put((byte) 4).putInt(q[0]).putInt(q[1]).putInt(q[2]).putInt(q[3]).put((byte) 0);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** The cube's 12 triangles (each quad split in two). */
    private static float[][] triangles() {
        float[][] out = new float[12][];
        for (int f = 0; f < QUADS.length; f++) {
            int[] q = QUADS[f];
            out[2 * f] = corners(q[0], q[1], q[2]);
            out[2 * f + 1] = corners(q[0], q[2], q[3]);
        }
        return out;
    }

    private static float[] corners(int a, int b, int c) {
        return new float[] {CUBE[3 * a], CUBE[3 * a + 1], CUBE[3 * a + 2], CUBE[3 * b], CUBE[3 * b + 1],
            CUBE[3 * b + 2], CUBE[3 * c], CUBE[3 * c + 1], CUBE[3 * c + 2]};
    }

    private static String stlAscii() {
        StringBuilder b = new StringBuilder("solid cube\n");
        for (float[] t : triangles()) {
            b.append("  facet normal 0 0 0\n    outer loop\n");
            for (int k = 0; k < 3; k++) {
                b.append("      vertex ").append(t[3 * k]).append(' ').append(t[3 * k + 1]).append(' ')
                    .append(t[3 * k + 2]).append('\n');
            }
            b.append("    endloop\n  endfacet\n");
        }
        return b.append("endsolid cube\n").toString();
    }

    private static byte[] stlBinary() {
        float[][] triangles = triangles();
        ByteBuffer b = ByteBuffer.allocate(84 + 50 * triangles.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("solid binary cube, as some exporters write it"));
        b.position(80);
        b.putInt(triangles.length);
        for (float[] t : triangles) {
            b.putFloat(0).putFloat(0).putFloat(0);
            for (float v : t) {
                b.putFloat(v);
            }
            b.putShort((short) 0);
        }
        return b.array();
    }

    /** LZF-compresses the plain way: the longest earlier match of 3 to 264 bytes, else a literal. */
    private static byte[] lzf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int literalStart = 0;
        int i = 0;
        while (i < in.length) {
            int best = 0;
            int distance = 0;
            for (int from = Math.max(0, i - 8192); from < i; from++) {
                int k = 0;
                while (k < 264 && i + k < in.length && in[from + k] == in[i + k]) {
                    k++;
                }
                if (k > best) {
                    best = k;
                    distance = i - from;
                }
            }
            if (best >= 3 || i - literalStart == 32) {
                if (i > literalStart) {
                    out.write(i - literalStart - 1);
                    out.write(in, literalStart, i - literalStart);
                }
                literalStart = i;
            }
            if (best >= 3) {
                int len = best - 2;
                int off = distance - 1;
                out.write(Math.min(len, 7) << 5 | off >> 8);
                if (len >= 7) {
                    out.write(len - 7);
                }
                out.write(off & 0xff);
                i += best;
                literalStart = i;
            } else {
                i++;
            }
        }
        if (i > literalStart) {
            out.write(i - literalStart - 1);
            out.write(in, literalStart, i - literalStart);
        }
        return out.toByteArray();
    }

    private static byte[] h5(Path file, boolean chunked) throws IOException {
        float[][][] data = new float[4][16][3];
        for (int s = 0; s < 4; s++) {
            for (int p = 0; p < 16; p++) {
                for (int a = 0; a < 3; a++) {
                    data[s][p][a] = s * 0.5f + p * 0.0625f - a * 0.25f;
                }
            }
        }
        try (WritableHdfFile out = HdfFile.write(file)) {
            if (chunked) {
                out.putDataset("data", data,
                    DatasetCreationOptions.builder().chunkDimensions(2, 16, 3).deflate().build());
            } else {
                out.putDataset("data", data);
            }
            out.putDataset("label", new int[] {0, 7, 39, 2});
        }
        return Files.readAllBytes(file);
    }
}
