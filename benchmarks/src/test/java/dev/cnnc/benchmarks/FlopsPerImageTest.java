package dev.cnnc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnc.samples.CifarLeNetModel;
import dev.cnnc.samples.FashionLeNetModel;
import org.junit.jupiter.api.Test;

class FlopsPerImageTest {

    @Test
    void cifarLeNetForwardIsTheSummarysCount() {
        // 2 x (352,800 + 240,000 + 48,000 + 10,080 + 840) multiply-adds + 4,704 + 1,600 pooling comparisons
        assertEquals(1_309_744L, FlopsPerImage.forwardFlops(new CifarLeNetModel().summary()));
    }

    @Test
    void firstLayerIsTwoFlopsPerMultiplyAdd() {
        assertEquals(2L * 28 * 28 * 6 * 3 * 5 * 5, FlopsPerImage.firstLayerFlops(new CifarLeNetModel()));
        assertEquals(2L * 28 * 28 * 6 * 1 * 5 * 5, FlopsPerImage.firstLayerFlops(new FashionLeNetModel()));
    }
}
