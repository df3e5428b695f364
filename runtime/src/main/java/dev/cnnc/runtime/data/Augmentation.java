package dev.cnnc.runtime.data;

import dev.cnnc.runtime.SplitMix64;

/**
 * Random training-time augmentation of CHW images: a horizontal flip with probability 1/2 and a
 * padded random crop (pad every side with {@code padding} zeros, then cut the original size back out
 * at a random offset, as torchvision's {@code RandomCrop(size, padding)} does), the standard recipe
 * for CIFAR-10.
 *
 * <p>Each draw comes from {@link SplitMix64#derive(long, long...)} of (seed, epoch, image index), so
 * an image gets the same transformation for the same seed, epoch and index whichever thread handles
 * it and in whatever order: training stays bitwise reproducible. Every seed, 0 included, is a seed.
 * Pass a different epoch to get fresh draws each epoch (or 0 always for a fixed draw per image).
 *
 * <p>The padding fills with 0. If images are normalized before augmentation, 0 is the channel mean;
 * if after, it is black. Immutable and thread-safe.
 */
public final class Augmentation {
    private final long seed;
    private final int channels;
    private final int height;
    private final int width;
    private final boolean horizontalFlip;
    private final int padding;

    /** The transformation chosen for one image. */
    public static final class Choice {
        private final boolean flip;
        private final int offsetY;
        private final int offsetX;

        /**
         * @param flip    mirror left-right
         * @param offsetY row of the padded image where the crop starts, in {@code [0, 2 * padding]}
         * @param offsetX column of the padded image where the crop starts, in {@code [0, 2 * padding]}
         */
        public Choice(boolean flip, int offsetY, int offsetX) {
            this.flip = flip;
            this.offsetY = offsetY;
            this.offsetX = offsetX;
        }

        public boolean flip() {
            return flip;
        }

        public int offsetY() {
            return offsetY;
        }

        public int offsetX() {
            return offsetX;
        }

        @Override
        public String toString() {
            return "crop at (" + offsetY + ", " + offsetX + ")" + (flip ? ", flipped" : "");
        }
    }

    /**
     * @param seed           any value; the same seed gives the same draws
     * @param channels       planes per image
     * @param height         rows per plane
     * @param width          columns per row
     * @param horizontalFlip whether to mirror half of the images left-right
     * @param padding        zeros added on each side before cropping; 0 disables the crop
     */
    public Augmentation(long seed, int channels, int height, int width, boolean horizontalFlip, int padding) {
        if (channels <= 0 || height <= 0 || width <= 0 || padding < 0) {
            throw new IllegalArgumentException("need positive channels, height, width and padding >= 0, got "
                + channels + "x" + height + "x" + width + " padding " + padding);
        }
        this.seed = seed;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.horizontalFlip = horizontalFlip;
        this.padding = padding;
    }

    /** Floats per image: {@code channels * height * width}. */
    public int imageSize() {
        return channels * height * width;
    }

    /** The transformation of image {@code imageIndex} in {@code epoch}: always the same for this seed. */
    public Choice choose(long epoch, long imageIndex) {
        SplitMix64 random = SplitMix64.derive(seed, epoch, imageIndex);
        boolean flip = horizontalFlip && random.nextBoolean();
        int offsetY = padding == 0 ? 0 : random.nextInt(2 * padding + 1);
        int offsetX = padding == 0 ? 0 : random.nextInt(2 * padding + 1);
        return new Choice(flip, offsetY, offsetX);
    }

    /**
     * Writes the augmented copy of the image at {@code source[sourceOffset]} to
     * {@code destination[destinationOffset]}; the two ranges must not overlap.
     */
    public void apply(float[] source, int sourceOffset, long epoch, long imageIndex,
                      float[] destination, int destinationOffset) {
        Choice choice = choose(epoch, imageIndex);
        transform(source, sourceOffset, channels, height, width, padding, choice, destination, destinationOffset);
    }

    /**
     * Crops the zero-padded image at ({@code choice.offsetY()}, {@code choice.offsetX()}) and then
     * mirrors the crop if {@code choice.flip()}:
     * <pre>
     * crop(c, y, x) = source(c, y + offsetY - padding, x + offsetX - padding), 0 outside the image
     * out(c, y, x)  = crop(c, y, flip ? width - 1 - x : x)
     * </pre>
     * With padding 0 and offsets 0 this is a copy (or a pure flip).
     */
    public static void transform(float[] source, int sourceOffset, int channels, int height, int width, int padding,
                                 Choice choice, float[] destination, int destinationOffset) {
        if (channels <= 0 || height <= 0 || width <= 0 || padding < 0) {
            throw new IllegalArgumentException("need positive channels, height, width and padding >= 0, got "
                + channels + "x" + height + "x" + width + ", padding " + padding);
        }
        long imageSize = (long) channels * height * width;
        checkRange("source", source, sourceOffset, imageSize);
        checkRange("destination", destination, destinationOffset, imageSize);
        int shiftY = choice.offsetY() - padding;
        int shiftX = choice.offsetX() - padding;
        int planeSize = height * width;
        for (int c = 0; c < channels; c++) {
            int sourcePlane = sourceOffset + c * planeSize;
            int destinationPlane = destinationOffset + c * planeSize;
            for (int y = 0; y < height; y++) {
                int sourceY = y + shiftY;
                int destinationRow = destinationPlane + y * width;
                if (sourceY < 0 || sourceY >= height) {
                    for (int x = 0; x < width; x++) {
                        destination[destinationRow + x] = 0f;
                    }
                    continue;
                }
                int sourceRow = sourcePlane + sourceY * width;
                for (int x = 0; x < width; x++) {
                    int sourceX = (choice.flip() ? width - 1 - x : x) + shiftX;
                    destination[destinationRow + x] = sourceX >= 0 && sourceX < width ? source[sourceRow + sourceX] : 0f;
                }
            }
        }
    }

    /** An image of {@code size} floats must lie inside {@code array} from {@code offset}. */
    private static void checkRange(String what, float[] array, int offset, long size) {
        if (offset < 0 || offset + size > array.length) {
            throw new IllegalArgumentException(what + " holds " + array.length + " floats, too few for an image of "
                + size + " at offset " + offset);
        }
    }
}
