package io.github.pointclip.onnx.tokenizer;

import java.util.Arrays;

/**
 * The BPE merge rules as an open-addressing hash table from a pair of token ids to the rule's
 * rank (lower merges first) and the id of the merged token. Immutable once built; no boxing on the
 * lookup path.
 */
final class MergeTable {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] mergedIds;
    private final int mask;
    private final int size;

    /**
     * @param firsts id of each rule's left token
     * @param seconds id of each rule's right token
     * @param merged id of each rule's merged token
     *     (rule {@code r} has rank {@code r}; a pair listed twice keeps its later rank, as in Python)
     */
    MergeTable(int[] firsts, int[] seconds, int[] merged) {
        int capacity = Integer.highestOneBit(Math.max(4, firsts.length * 2 - 1)) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        mergedIds = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
        int count = 0;
        for (int rank = 0; rank < firsts.length; rank++) {
            long key = key(firsts[rank], seconds[rank]);
            int slot = slot(key);
            if (keys[slot] == EMPTY) {
                count++;
            }
            keys[slot] = key;
            ranks[slot] = rank;
            mergedIds[slot] = merged[rank];
        }
        size = count;
    }

    /** @return the number of distinct pairs */
    int size() {
        return size;
    }

    /**
     * @param first id of the left token
     * @param second id of the right token
     * @return the slot of the rule for the pair, or −1 when no rule merges it
     */
    int find(int first, int second) {
        long key = key(first, second);
        int slot = slot(key);
        return keys[slot] == key ? slot : -1;
    }

    /** @return the rank of the rule in {@code slot} */
    int rank(int slot) {
        return ranks[slot];
    }

    /** @return the merged token id of the rule in {@code slot} */
    int mergedId(int slot) {
        return mergedIds[slot];
    }

    /** @return the slot holding {@code key}, or the empty slot where it would go */
    private int slot(long key) {
        int slot = (int) mix(key) & mask;
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static long key(int first, int second) {
        return (long) first << 32 | (second & 0xffffffffL);
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }
}
