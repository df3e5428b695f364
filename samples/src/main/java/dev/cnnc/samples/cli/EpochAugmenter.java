package dev.cnnc.samples.cli;

import dev.cnnc.runtime.EpochListener;
import dev.cnnc.runtime.History;
import dev.cnnc.runtime.data.Augmentation;
import dev.cnnc.runtime.data.LabeledImages;

/**
 * Fresh random flips and padded crops of the training images for every epoch. The training set's
 * array is rewritten from an untouched copy before the first epoch and then after each epoch (the
 * trainer calls its listener between epochs, while no batch reads the array). The draws come from
 * (seed, epoch, image), so a run is reproducible for any thread count.
 */
final class EpochAugmenter implements EpochListener {
    /** Pixels of zero padding on each side before the random crop (torchvision's CIFAR-10 recipe). */
    static final int PADDING = 4;
    /** Mixed into the seed so augmentation draws are independent of initialization and shuffling. */
    private static final long AUGMENT_STREAM = 0x4155474D454E54L; // "AUGMENT"

    private final float[] original;
    private final float[] working;
    private final int count;
    private final int imageSize;
    private final Augmentation augmentation;

    /** Takes over {@code train}'s images (already normalized, so the padding is the channel mean) and draws epoch 0. */
    EpochAugmenter(LabeledImages train, long seed) {
        this.working = train.images();
        this.original = working.clone();
        this.count = train.count();
        this.imageSize = train.imageSize();
        this.augmentation = new Augmentation(seed ^ AUGMENT_STREAM, train.channels(), train.height(), train.width(),
            true, PADDING);
        draw(0);
    }

    @Override
    public boolean epochEnded(int epoch, History history) {
        draw(epoch); // epochs count from 1 here, so this prepares the next one (0-based)
        return true;
    }

    private void draw(int epoch) {
        for (int i = 0; i < count; i++) {
            augmentation.apply(original, i * imageSize, epoch, i, working, i * imageSize);
        }
    }
}
