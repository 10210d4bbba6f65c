package io.github.pointclip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-level float parser against {@link Float#parseFloat}, the correctly rounded reference. */
class FloatParsingTest {

    private static float parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return ByteInput.parseFloat(b, 0, b.length);
    }

    private static void same(String s) {
        float expected = Float.parseFloat(s);
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(parse(s)), s);
    }

    @Test
    void randomFloatsInManyNotations() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 20_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(f)) {
                continue;
            }
            same(Float.toString(f));
            same(String.format(Locale.ROOT, "%.9e", f));
            same(String.format(Locale.ROOT, "%.17g", (double) f));
            double scaled = random.nextDouble(-1000, 1000);
            same(String.format(Locale.ROOT, "%.6f", scaled));
            same(String.format(Locale.ROOT, "%.12f", scaled));
            same(Double.toString(scaled));
        }
    }

    @Test
    void floatMidpointsAreRoundedOnce() {
        // Decimals of at most 15 digits next to the midpoint m between two floats: their correctly
        // rounded double is often m itself, and converting m to float rounds a second time.
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 6_000; i++) {
            float f = (float) random.nextDouble(1e-3, 1e3);
            BigDecimal mid = new BigDecimal(f).add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
            for (int digits = 12; digits <= 15; digits++) {
                same(mid.round(new MathContext(digits, RoundingMode.HALF_EVEN)).toString());
                same(mid.round(new MathContext(digits, RoundingMode.UP)).toString());
                same(mid.round(new MathContext(digits, RoundingMode.DOWN)).toString());
            }
            same(mid.add(new BigDecimal("1e-30")).toPlainString());
            same(mid.subtract(new BigDecimal("1e-30")).toPlainString());
        }
    }

    @Test
    void edgeCases() {
        for (String s : new String[] {"0", "-0", "+1", "1.", ".5", "-.5e-3", "1e38", "3.4028235e38", "3.5e38",
            "1e-45", "1.4e-45", "1e-50", "123456789012345678901234567890", "0.000000000000000000000000001234",
            "00001.2500", "7E+2", "1e0"}) {
            same(s);
        }
        assertTrue(Float.isNaN(parse("nan")) && Float.isNaN(parse("-NaN")));
        assertEquals(Float.POSITIVE_INFINITY, parse("inf"));
        assertEquals(Float.NEGATIVE_INFINITY, parse("-Infinity"));
        for (String bad : new String[] {"", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "1f", "12a", "--1", "1,5"}) {
            assertTrue(Float.isNaN(parse(bad)), "should not parse: '" + bad + "'");
        }
    }
}
