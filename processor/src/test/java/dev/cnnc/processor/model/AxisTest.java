package dev.cnnc.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Axis} is the only shape arithmetic in cnnc, so it is checked against the definition rather
 * than against a second formula: place a window at every start position of the padded input and
 * count the ones that fit, over every (n, f, s, p) of a grid.
 */
class AxisTest {
    private static final int MAX_INPUT = 40;
    private static final int MAX_KERNEL = 12;
    private static final int MAX_STRIDE = 5;
    private static final int MAX_PAD = 4;

    /** What an axis must be, found by sliding the window one start position at a time. */
    private record Counted(int windows, int unused) {
        static Counted slide(int input, int kernel, int stride, int padBefore, int padAfter) {
            int padded = input + padBefore + padAfter;
            int windows = 0;
            int lastEnd = -1;
            for (int start = 0; start < padded; start += stride) {
                if (start + kernel <= padded) {
                    windows++;
                    lastEnd = start + kernel;
                }
            }
            return new Counted(windows, windows == 0 ? 0 : padded - lastEnd);
        }
    }

    @Test
    void validCountsEveryWindowThatFits() {
        int checked = 0;
        for (int n = 1; n <= MAX_INPUT; n++) {
            for (int f = 1; f <= MAX_KERNEL; f++) {
                for (int s = 1; s <= MAX_STRIDE; s++) {
                    assertMatchesSlide(Axis.valid(n, f, s), n, f, s, 0, 0);
                    checked++;
                }
            }
        }
        assertEquals(MAX_INPUT * MAX_KERNEL * MAX_STRIDE, checked);
    }

    @Test
    void paddedCountsEveryWindowThatFitsWithPaddingOnEitherSide() {
        for (int n = 1; n <= MAX_INPUT; n++) {
            for (int f = 1; f <= MAX_KERNEL; f++) {
                for (int s = 1; s <= MAX_STRIDE; s++) {
                    for (int before = 0; before <= MAX_PAD; before++) {
                        for (int after = 0; after <= MAX_PAD; after++) {
                            assertMatchesSlide(Axis.padded(n, f, s, before, after), n, f, s, before, after);
                        }
                    }
                }
            }
        }
    }

    @Test
    void paddedMatchesTheLectureFormulaForEqualPadding() {
        for (int n = 1; n <= MAX_INPUT; n++) {
            for (int f = 1; f <= MAX_KERNEL; f++) {
                for (int s = 1; s <= MAX_STRIDE; s++) {
                    for (int p = 0; p <= MAX_PAD; p++) {
                        int span = n + 2 * p - f;
                        int lecture = span < 0 ? 0 : Math.floorDiv(span, s) + 1; // floor((n + 2p - f) / s) + 1
                        assertEquals(lecture, Axis.padded(n, f, s, p, p).output(), where(n, f, s, p, p));
                    }
                }
            }
        }
    }

    @Test
    void sameGivesCeilOfInputOverStrideWithTensorFlowPadding() {
        for (int n = 1; n <= MAX_INPUT; n++) {
            for (int f = 1; f <= MAX_KERNEL; f++) {
                for (int s = 1; s <= MAX_STRIDE; s++) {
                    Axis axis = Axis.same(n, f, s);
                    String where = "same(n=" + n + ", f=" + f + ", s=" + s + ")";
                    int expectedOutput = (int) Math.ceil((double) n / s);
                    int total = Math.max((expectedOutput - 1) * s + f - n, 0);
                    assertEquals(expectedOutput, axis.output(), where + " output");
                    assertEquals(total / 2, axis.padBefore(), where + " padding before (the smaller half)");
                    assertEquals(total - total / 2, axis.padAfter(), where + " padding after");
                    assertMatchesSlide(axis, n, f, s, axis.padBefore(), axis.padAfter());
                }
            }
        }
    }

    @Test
    void sameConvolutionKeepsSixBySix() {
        Axis axis = Axis.same(6, 3, 1);
        assertEquals(6, axis.output());
        assertEquals(1, axis.padBefore());
        assertEquals(1, axis.padAfter());
        assertEquals(8, axis.paddedInput());
    }

    @Test
    void samePutsTheOddZeroAfterTheInput() {
        // The seed's 64x64 image, 5x5 kernel, stride 2 with SAME: out 32, total (32 - 1) * 2 + 5 - 64 = 3.
        Axis axis = Axis.same(64, 5, 2);
        assertEquals(32, axis.output());
        assertEquals(1, axis.padBefore());
        assertEquals(2, axis.padAfter());
        assertEquals(0, axis.unused());
    }

    @Test
    void seedStridedSevenBySevenGivesThreeByThree() {
        Axis axis = Axis.valid(7, 3, 2);
        assertEquals(3, axis.output());
        assertEquals(0, axis.unused());
    }

    @Test
    void seedStrideTwoDropsOneRowAndColumn() {
        Axis axis = Axis.valid(64, 5, 2);
        assertEquals(30, axis.output());
        assertEquals(1, axis.unused());
        assertEquals(63, axis.lastWindowEnd());
    }

    @Test
    void windowLargerThanInputDoesNotFit() {
        Axis axis = Axis.valid(4, 5, 1);
        assertFalse(axis.fits());
        assertEquals(0, axis.output());
        assertTrue(Axis.same(4, 5, 1).fits(), "SAME pads until the kernel fits");
    }

    @Test
    void sameWithAHugeStrideDoesNotOverflow() {
        Axis axis = Axis.same(32, 3, Integer.MAX_VALUE);
        assertEquals(1, axis.output());
        assertTrue(axis.fits());
    }

    private static void assertMatchesSlide(Axis axis, int n, int f, int s, int before, int after) {
        Counted counted = Counted.slide(n, f, s, before, after);
        String where = where(n, f, s, before, after);
        assertEquals(counted.windows(), axis.output(), where + " window positions");
        assertEquals(counted.windows() > 0, axis.fits(), where + " fits");
        assertEquals(counted.unused(), axis.unused(), where + " elements after the last window");
        if (counted.windows() > 0) {
            assertEquals(n + before + after - counted.unused(), axis.lastWindowEnd(), where + " last window end");
        }
    }

    private static String where(int n, int f, int s, int before, int after) {
        return "n=" + n + ", f=" + f + ", s=" + s + ", padding " + before + "+" + after;
    }
}
