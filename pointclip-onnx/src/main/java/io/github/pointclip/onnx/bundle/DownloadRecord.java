package io.github.pointclip.onnx.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.pointclip.internal.AtomicFiles;
import io.github.pointclip.internal.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a catalogue download fetched, written as {@value #FILE_NAME} into the cache entry: the repository,
 * revision and commit, the dtype, and for every file its SHA-256, size and how the digest was established
 * ({@code pinned} in the catalogue, {@code hub} as the hub reported it, or {@code first-download} when the hub
 * reported none and the digest was computed on arrival). Later loads {@link #check(Path) check} the files against
 * it: the size always, the digest whenever a file's modification time changed since it was recorded (a file whose
 * digest still matches then gets its new time recorded). Immutable.
 *
 * @param model the catalogue model name, e.g. {@code ViT-B/16}
 * @param hub the hub's base URL
 * @param repository the hub repository
 * @param revision the revision asked for
 * @param commit the commit the hub resolved it to, or null when it did not say
 * @param dtype the transformers.js dtype
 * @param files the files
 */
public record DownloadRecord(String model, String hub, String repository, String revision, String commit, String dtype,
                             List<RecordedFile> files) {

    /** The record's file name inside a cache entry. */
    public static final String FILE_NAME = "pointclip-download.json";

    private static final Logger LOG = LoggerFactory.getLogger(DownloadRecord.class);

    /**
     * One downloaded file.
     *
     * @param path the path inside the entry
     * @param sha256 its SHA-256, lower-case hex
     * @param size its size in bytes
     * @param checkedBy {@code pinned}, {@code hub} or {@code first-download}
     * @param modified its modification time in milliseconds when it was recorded
     */
    public record RecordedFile(String path, String sha256, long size, String checkedBy, long modified) {
    }

    /** Copies the list. */
    public DownloadRecord {
        files = List.copyOf(files);
    }

    /**
     * @param dir a cache entry
     * @return its record, or empty when it has none (a bundle not downloaded from the catalogue)
     * @throws BundleException when the record is malformed
     * @throws IOException when it cannot be read
     */
    public static Optional<DownloadRecord> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        StrictJson json = new StrictJson(file);
        JsonNode root = json.object(json.parse(), "", "model", "hub", "repository", "revision", "commit", "dtype", "files");
        List<RecordedFile> files = new ArrayList<>();
        JsonNode list = json.array(root, "", "files");
        for (int i = 0; i < list.size(); i++) {
            String at = "files[" + i + "]";
            JsonNode f = json.object(list.get(i), at, "path", "sha256", "size", "checkedBy", "modified");
            String sha;
            try {
                sha = Sha256.normalise(json.string(f, at, "sha256"));
            } catch (IllegalArgumentException e) {
                throw json.error(at + ".sha256", e.getMessage());
            }
            files.add(new RecordedFile(json.relativePath(f, at, "path"), sha, json.integer(f.get("size"), at + ".size"),
                json.string(f, at, "checkedBy"), json.integer(f.get("modified"), at + ".modified")));
        }
        String commit = root.hasNonNull("commit") ? json.string(root, "", "commit") : null;
        return Optional.of(new DownloadRecord(json.string(root, "", "model"), json.string(root, "", "hub"),
            json.string(root, "", "repository"), json.string(root, "", "revision"), commit,
            json.string(root, "", "dtype"), files));
    }

    /**
     * Writes the record into a directory, atomically.
     *
     * @param dir the (staging) directory
     * @throws IOException when it cannot be written
     */
    void write(Path dir) throws IOException {
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        root.put("model", model).put("hub", hub).put("repository", repository).put("revision", revision);
        if (commit == null) {
            root.putNull("commit");
        } else {
            root.put("commit", commit);
        }
        root.put("dtype", dtype);
        ArrayNode list = root.putArray("files");
        for (RecordedFile f : files) {
            list.addObject().put("path", f.path()).put("sha256", f.sha256()).put("size", f.size())
                .put("checkedBy", f.checkedBy()).put("modified", f.modified());
        }
        byte[] bytes = StrictJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        AtomicFiles.write(dir.resolve(FILE_NAME), out -> out.write(bytes));
    }

    /**
     * Checks the files of a cache entry against its record: each must exist with the recorded size, and a file
     * modified since it was recorded must still have the recorded SHA-256.
     *
     * @param dir the cache entry
     * @throws ChecksumMismatchException naming the file when a digest differs
     * @throws BundleException when a file is missing or has another size
     * @throws IOException when a file cannot be read
     */
    public void check(Path dir) throws IOException {
        List<RecordedFile> updated = new ArrayList<>(files);
        boolean touched = false;
        for (int i = 0; i < files.size(); i++) {
            RecordedFile f = files.get(i);
            Path file = dir.resolve(f.path());
            if (!Files.isRegularFile(file)) {
                throw new BundleException(file, "was downloaded into the cache but is missing now; delete " + dir
                    + " to download the model again");
            }
            long size = Files.size(file);
            if (size != f.size()) {
                throw new BundleException(file, "has " + size + " bytes, but " + f.size() + " were downloaded and verified;"
                    + " delete " + dir + " to download the model again");
            }
            long modified = Files.getLastModifiedTime(file).toMillis();
            if (modified != f.modified()) {
                String actual = Sha256.of(file);
                if (!actual.equals(f.sha256())) {
                    throw new ChecksumMismatchException(file, f.sha256(), actual);
                }
                LOG.debug("{} was touched since it was downloaded but its SHA-256 is unchanged", file);
                updated.set(i, new RecordedFile(f.path(), f.sha256(), f.size(), f.checkedBy(), modified));
                touched = true;
            }
        }
        if (touched) {
            // remember the new time stamps, so the next load need not hash again (best effort: the cache may be read-only)
            try {
                new DownloadRecord(model, hub, repository, revision, commit, dtype, updated).write(dir);
            } catch (IOException e) {
                LOG.debug("could not update {} in {}: {}", FILE_NAME, dir, e.toString());
            }
        }
    }
}
