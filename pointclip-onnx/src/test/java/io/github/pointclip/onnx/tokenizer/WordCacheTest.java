package io.github.pointclip.onnx.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WordCacheTest {

    @Test
    void evictsLeastRecentlyUsedBeyondCapacity() {
        WordCache cache = new WordCache(2);
        cache.put("a", new int[] {1});
        cache.put("b", new int[] {2});
        assertNotNull(cache.get("a")); // "b" is now the least recently used
        cache.put("c", new int[] {3});
        assertEquals(2, cache.size());
        assertNull(cache.get("b"));
        assertEquals(1, cache.get("a")[0]);
        assertEquals(3, cache.get("c")[0]);
    }
}
