package io.github.pointclip.onnx.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.onnx.internal.DigestMemo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SHA-256 memo: one hash per file version, atomic entries, corrupt entries ignored. */
class DigestMemoTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void aKnownVersionIsNotReadAgain() throws IOException {
        DigestMemo memo = new DigestMemo(dir.resolve("memo"));
        Path f = file("model.onnx", "abc");
        assertEquals(Optional.empty(), memo.remembered(f));
        assertEquals(ModelManifestTest.SHA_ABC, memo.sha256(f));
        assertEquals(Optional.of(ModelManifestTest.SHA_ABC), memo.remembered(f));

        // same size and time stamp, other content: the memo answers without reading (its known blind spot)
        FileTime time = Files.getLastModifiedTime(f);
        Files.writeString(f, "abd");
        Files.setLastModifiedTime(f, time);
        assertEquals(ModelManifestTest.SHA_ABC, memo.sha256(f));
        // rehash always reads, and corrects the memo
        String abd = TestFiles.sha256("abd".getBytes(StandardCharsets.UTF_8));
        assertEquals(abd, memo.rehash(f));
        assertEquals(abd, memo.sha256(f));

        // a new version (other time stamp) is hashed again
        Files.writeString(f, "abc");
        Files.setLastModifiedTime(f, FileTime.fromMillis(time.toMillis() + 5000));
        assertEquals(ModelManifestTest.SHA_ABC, memo.sha256(f));
    }

    @Test
    void corruptEntriesAreIgnoredAndRewritten() throws IOException {
        DigestMemo memo = new DigestMemo(dir.resolve("memo"));
        Path f = file("model.onnx", "abc");
        memo.sha256(f);
        Path entry = memo.entry(f);
        for (String corrupt : List.of("", "not hex", ModelManifestTest.SHA_ABC.substring(0, 40),
                ModelManifestTest.SHA_ABC.toUpperCase(java.util.Locale.ROOT) + "zz")) {
            Files.writeString(entry, corrupt);
            assertEquals(Optional.empty(), memo.remembered(f), corrupt);
            assertEquals(ModelManifestTest.SHA_ABC, memo.sha256(f));
            assertEquals(ModelManifestTest.SHA_ABC, Files.readString(entry));
        }
        try (Stream<Path> files = Files.list(entry.getParent())) {
            assertEquals(List.of(entry), files.toList(), "no temporary files are left behind");
        }
    }

    @Test
    void anUnwritableMemoStillGivesTheDigest() throws IOException {
        Path notADirectory = file("memo", "x");
        DigestMemo memo = new DigestMemo(notADirectory);
        assertEquals(ModelManifestTest.SHA_ABC, memo.sha256(file("model.onnx", "abc")));
    }

    @Test
    void loadTimeVerificationUsesTheMemoAndCatchesANewVersion() throws IOException {
        Files.writeString(dir.resolve("visual.onnx"), "abc");
        Files.writeString(dir.resolve("textual.onnx"), "x");
        Files.writeString(dir.resolve(ModelBundle.CLIP_BPE_FILE), "x");
        ModelManifest.builder().backbone("ViT-B/16").embeddingDim(512)
            .tokenizer(TokenizerFormat.CLIP_BPE_GZ, List.of(ModelBundle.CLIP_BPE_FILE))
            .sha256("visual.onnx", ModelManifestTest.SHA_ABC).build().write(dir.resolve(ModelManifest.FILE_NAME));
        ModelBundle bundle = ModelBundle.detect(dir);
        DigestMemo memo = new DigestMemo(dir.resolve("memo"));
        bundle.verifyDeclared(memo);
        assertTrue(memo.remembered(bundle.visualModel()).isPresent());

        Path visual = bundle.visualModel();
        FileTime time = Files.getLastModifiedTime(visual);
        Files.writeString(visual, "abd");
        Files.setLastModifiedTime(visual, FileTime.fromMillis(time.toMillis() + 2000));
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> bundle.verifyDeclared(memo));
        assertEquals(visual, e.file());
        assertEquals(ModelManifestTest.SHA_ABC, e.expected());
        assertEquals(TestFiles.sha256("abd".getBytes(StandardCharsets.UTF_8)), e.actual());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("visual.onnx") && e.getMessage().contains(ModelManifestTest.SHA_ABC)
            && e.getMessage().contains(e.actual()), e.getMessage());
        // refused again from the memo, without rehashing
        assertEquals(Optional.of(e.actual()), memo.remembered(visual));
        assertThrows(ChecksumMismatchException.class, () -> bundle.verifyDeclared(memo));
    }
}
