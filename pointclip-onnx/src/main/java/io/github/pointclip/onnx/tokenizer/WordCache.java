package io.github.pointclip.onnx.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe least-recently-used cache from pre-token to its BPE ids (openai/CLIP's
 * cache grows without bound). The arrays it holds are never handed out, only copied from.
 */
final class WordCache {

    private final Map<String, int[]> entries;

    /** @param capacity most words kept; 0 disables caching */
    WordCache(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * @param word a pre-token
     * @return its cached ids, or null
     */
    synchronized int[] get(String word) {
        return entries.get(word);
    }

    /**
     * @param word a pre-token
     * @param ids its ids; the caller must not modify them afterwards
     */
    synchronized void put(String word, int[] ids) {
        entries.put(word, ids);
    }

    /** @return the number of cached words */
    synchronized int size() {
        return entries.size();
    }
}
