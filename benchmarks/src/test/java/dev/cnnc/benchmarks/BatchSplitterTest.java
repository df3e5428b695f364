package dev.cnnc.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class BatchSplitterTest {

    @Test
    void everyImageRunsExactlyOnceForAnyThreadCount() throws Exception {
        for (int threads = 1; threads <= 3; threads++) {
            try (BatchSplitter splitter = new BatchSplitter(threads)) {
                AtomicIntegerArray runs = new AtomicIntegerArray(257);
                splitter.run(257, (from, to) -> {
                    for (int n = from; n < to; n++) {
                        runs.incrementAndGet(n);
                    }
                });
                int[] expected = new int[257];
                Arrays.fill(expected, 1);
                int[] actual = new int[257];
                for (int n = 0; n < actual.length; n++) {
                    actual[n] = runs.get(n);
                }
                assertArrayEquals(expected, actual, threads + " threads");
            }
        }
    }
}
