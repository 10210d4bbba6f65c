package io.github.pointclip.adapter.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pointclip.dataset.Dataset;
import io.github.pointclip.dataset.Datasets;
import io.github.pointclip.dataset.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchSplitsTest {

    private static Path folder(Path root) throws IOException {
        for (String c : new String[] {"a", "b"}) {
            for (String s : new String[] {"train", "test"}) {
                Path d = Files.createDirectories(root.resolve(c).resolve(s));
                for (int i = 0; i < 5; i++) {
                    Files.writeString(d.resolve(c + i + ".xyz"), "0 0 0\n1 " + i + " 0\n");
                }
            }
        }
        return root;
    }

    @Test
    void testSplitIsRefusedUnlessAllowed(@TempDir Path dir) throws IOException {
        Dataset test = Datasets.folder(folder(dir), Split.TEST);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchSplits.checked(test, false));
        assertTrue(e.getMessage().contains("test split"), e.getMessage());
        assertSame(test, SearchSplits.checked(test, true));
        assertThrows(IllegalArgumentException.class, () -> SearchSplits.validation(test, 0.2, 1));
    }

    @Test
    void validationIsAStratifiedHoldOutOfTrain(@TempDir Path dir) throws IOException {
        Dataset train = Datasets.folder(folder(dir), Split.TRAIN);
        Dataset val = SearchSplits.validation(train, 0.4, 7);
        assertEquals(4, val.size());
        assertEquals(Split.VALIDATION, val.split());
        assertSame(val, SearchSplits.checked(val, false));
        assertEquals(val.size(), SearchSplits.validation(train, 0.4, 7).size());
    }
}
