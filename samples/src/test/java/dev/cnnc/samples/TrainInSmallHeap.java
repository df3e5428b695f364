package dev.cnnc.samples;

import dev.cnnc.runtime.Dataset;
import dev.cnnc.runtime.Sgd;
import dev.cnnc.runtime.SplitMix64;
import dev.cnnc.runtime.Trainer;
import dev.cnnc.runtime.TrainingInterruptedException;
import dev.cnnc.runtime.data.ClassNames;
import dev.cnnc.runtime.data.IdxReader;
import dev.cnnc.runtime.data.LabeledImages;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Run in its own JVM by {@link TrainingMemoryTest} (e.g. with {@code -Xmx256m}): trains
 * {@code FashionLeNetModel} on a full-size data set for {@code seconds} and prints one line
 * {@code batches=B images=N peakHeapMiB=P maxHeapMiB=M}. The data is either generated (60,000
 * 28x28 images, the size of Fashion-MNIST's training set) or read from an MNIST-style directory.
 *
 * <p>{@code java ... dev.cnnc.samples.TrainInSmallHeap generated 60000 3} or
 * {@code ... TrainInSmallHeap idx /usr/share/datasets/fashion-mnist 3}
 */
public final class TrainInSmallHeap {
    private TrainInSmallHeap() {
    }

    public static void main(String[] args) throws Exception {
        Dataset data = args[0].equals("idx") ? read(new File(args[1])) : generated(Integer.parseInt(args[1]));
        double seconds = Double.parseDouble(args[2]);
        FashionLeNetModel model = new FashionLeNetModel();
        Trainer trainer = Trainer.builder(model).optimizer(new Sgd(0.01f).momentum(0.9f)).batchSize(64).epochs(1)
            .threads(2).seed(1).quiet().build();
        // Training a full epoch takes minutes; interrupting it after a few seconds keeps the test short.
        Thread training = Thread.currentThread();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep((long) (seconds * 1000));
                training.interrupt();
            } catch (InterruptedException e) {
                // the epoch ended first
            }
        });
        stopper.setDaemon(true);
        stopper.start();
        int batches;
        try {
            trainer.fit(data);
            batches = (data.count() + 63) / 64;
        } catch (TrainingInterruptedException e) {
            Thread.interrupted();
            batches = e.batch() - 1 + (e.epoch() - 1) * ((data.count() + 63) / 64);
        }
        System.out.println("batches=" + batches + " images=" + data.count() + " peakHeapMiB=" + peakHeapMiB()
            + " maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1 << 20));
    }

    private static Dataset read(File directory) throws IOException {
        LabeledImages images = IdxReader.readSplit(directory, "train", ClassNames.fashionMnist());
        return new Dataset(images.images(), images.labels(), images.imageSize(), images.classNames());
    }

    /** {@code count} images of 28x28: each class a bright square at its own place, on noise. */
    private static Dataset generated(int count) {
        int size = FashionLeNetModel.INPUT_SIZE;
        float[] images = new float[count * size];
        int[] labels = new int[count];
        SplitMix64 random = new SplitMix64(60_000);
        for (int n = 0; n < count; n++) {
            int label = n % 10;
            labels[n] = label;
            int top = 2 + 2 * label;
            for (int i = 0; i < size; i++) {
                int y = i / 28;
                int x = i % 28;
                boolean square = y >= top && y < top + 6 && x >= top && x < top + 6;
                images[n * size + i] = square ? 0.9f : 0.2f * random.nextFloat();
            }
        }
        return new Dataset(images, labels, size, ClassNames.fashionMnist());
    }

    private static long peakHeapMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1 << 20);
    }
}
