package io.github.pointclip.crosspoint.probe;

/**
 * One N-way K-shot episode: the classes drawn, and the rows of the pool that form its support and
 * query sets. Both are class-major: the K (or Q) rows of the episode's class 0, then of class 1, ….
 * The arrays are copied in and out.
 *
 * @param classes the N classes drawn, as labels of the pool, in episode order (episode label i is
 *     {@code classes[i]})
 * @param support N·K rows of the pool
 * @param query N·Q rows of the pool, disjoint from the support
 */
public record Episode(int[] classes, int[] support, int[] query) {

    /**
     * @param classes the classes drawn
     * @param support support rows
     * @param query query rows
     */
    public Episode {
        classes = classes.clone();
        support = support.clone();
        query = query.clone();
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public int[] support() {
        return support.clone();
    }

    @Override
    public int[] query() {
        return query.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Episode e && java.util.Arrays.equals(classes, e.classes)
            && java.util.Arrays.equals(support, e.support) && java.util.Arrays.equals(query, e.query);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * java.util.Arrays.hashCode(classes) + java.util.Arrays.hashCode(support))
            + java.util.Arrays.hashCode(query);
    }

    @Override
    public String toString() {
        return "Episode[classes=" + java.util.Arrays.toString(classes) + ", " + support.length + " support, "
            + query.length + " query]";
    }
}
