package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SplitMix64Test {
    @Test
    void seedZeroGivesTheReferenceStream() {
        // The first outputs of the reference C implementation (Vigna's splitmix64.c) with x = 0.
        SplitMix64 random = new SplitMix64(0);

        assertEquals(0xE220A8397B1DCDAFL, random.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, random.nextLong());
        assertEquals(0x06C45D188009454FL, random.nextLong());
    }

    @Test
    void derivedStreamsDifferPerKeyAndRepeatPerKey() {
        assertEquals(SplitMix64.derive(7, 1, 2).nextLong(), SplitMix64.derive(7, 1, 2).nextLong());
        assertNotEquals(SplitMix64.derive(7, 1, 2).nextLong(), SplitMix64.derive(7, 2, 1).nextLong());
        assertNotEquals(SplitMix64.derive(0, 0).nextLong(), SplitMix64.derive(0, 1).nextLong());
    }

    @Test
    void boundedValuesStayInRange() {
        SplitMix64 random = new SplitMix64(3);
        for (int i = 0; i < 10_000; i++) {
            int value = random.nextInt(9);
            float unit = random.nextFloat();
            double unitDouble = random.nextDouble();
            assertTrue(value >= 0 && value < 9, "nextInt(9) gave " + value);
            assertTrue(unit >= 0f && unit < 1f, "nextFloat gave " + unit);
            assertTrue(unitDouble >= 0 && unitDouble < 1, "nextDouble gave " + unitDouble);
        }
    }
}
