package io.github.pointclip.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads text point files (.xyz, .txt, .csv, .pts): x y z and optional extra columns per line,
 * separated by whitespace or commas, {@code #} comments. The first content line may be a row of
 * column names (then x, y, z are found by name and the other columns are named attributes) or
 * a single point count (Leica PTS). Without names the first three columns are x, y, z and the
 * others form the attribute "extra"; a later row that cannot fill them (fewer columns, a word)
 * drops the attributes, never the points.
 */
final class XyzReader implements FormatReader {

    /** More extra columns than this are not kept: such files are not point clouds with attributes. */
    private static final int MAX_EXTRA_COLUMNS = 32;

    @Override
    public void read(ByteInput in, CloudCollector out, long fileSize) throws IOException {
        in.commaSeparates(true);
        in.commentChar('#');
        boolean first = true;
        boolean layoutKnown = false;
        float[] row = null;
        int columns = 3;
        while (in.nextLine()) {
            if (!in.hasToken()) {
                continue;
            }
            if (first) {
                first = false;
                List<String> names = headerNames(in);
                if (names != null) {
                    if (out.columns(names)) {
                        columns = names.size();
                    } else { // names without x, y, z: read positionally, still skip the header
                        out.columns(List.of("x", "y", "z"));
                    }
                    layoutKnown = true;
                    continue;
                }
                if (isCountLine(in)) {
                    out.expectPoints(in.nextLong("point count"), fileSize / 6, in.line());
                    continue;
                }
            }
            if (!layoutKnown) {
                layoutKnown = true;
                columns = countTokens(in);
                List<String> positional = new ArrayList<>(List.of("x", "y", "z"));
                for (int c = 3; c < columns && columns - 3 <= MAX_EXTRA_COLUMNS; c++) {
                    positional.add("extra");
                }
                out.columns(positional);
                columns = positional.size();
            }
            long point = out.vertexCount();
            if (!out.wantsAttributes()) {
                float x = in.nextFloat("x of point", point);
                float y = in.nextFloat("y of point", point);
                float z = in.nextFloat("z of point", point);
                out.add(x, y, z, in.line());
                continue;
            }
            if (row == null) {
                row = new float[columns];
            }
            readRow(in, out, row, point);
        }
    }

    /** Parses a row with attributes; a missing or non-numeric attribute column drops the attributes. */
    private static void readRow(ByteInput in, CloudCollector out, float[] row, long point) throws IOException {
        int parsed = 0;
        boolean numeric = true;
        for (; parsed < row.length && in.hasToken(); parsed++) {
            row[parsed] = in.tryNextFloat();
            if (!in.lastTokenWasNumber()) {
                numeric = false;
                break;
            }
        }
        if (parsed < row.length || !numeric) {
            // Re-read the coordinates strictly: they either parse or give the precise error.
            in.rewindLine();
            float x = in.nextFloat("x of point", point);
            float y = in.nextFloat("y of point", point);
            float z = in.nextFloat("z of point", point);
            if (isPositionalXyz(out)) {
                out.dropAttributes("line " + in.line() + " has fewer or non-numeric extra columns");
                out.add(x, y, z, in.line());
                return;
            }
            throw PointCloudFormatException.atLine(in.file(), in.line(), "point " + point + " has "
                + (numeric ? "only " + parsed + " of " + row.length + " columns" : "a non-numeric column "
                + (parsed + 1)));
        }
        out.addRow(row, in.line());
    }

    private static boolean isPositionalXyz(CloudCollector out) {
        return out.positional();
    }

    /** @return the column names if the current line is a header (its first token is not a number) */
    private static List<String> headerNames(ByteInput in) {
        in.tryNextFloat();
        boolean number = in.lastTokenWasNumber();
        in.rewindLine();
        if (number) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String word = in.nextWord(); word != null; word = in.nextWord()) {
            names.add(stripQuotes(word));
        }
        return names;
    }

    private static String stripQuotes(String word) {
        if (word.length() >= 2 && (word.startsWith("\"") && word.endsWith("\"")
            || word.startsWith("'") && word.endsWith("'"))) {
            return word.substring(1, word.length() - 1);
        }
        return word;
    }

    private static boolean isCountLine(ByteInput in) throws IOException {
        int tokens = countTokens(in);
        if (tokens != 1) {
            return false;
        }
        float v = in.tryNextFloat();
        in.rewindLine();
        return in.lastTokenWasNumber() && v == Math.rint(v) && v >= 0;
    }

    private static int countTokens(ByteInput in) {
        int n = 0;
        while (in.hasToken()) {
            in.skipToken();
            n++;
        }
        in.rewindLine();
        return n;
    }
}
