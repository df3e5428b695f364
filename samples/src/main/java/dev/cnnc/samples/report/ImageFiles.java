package dev.cnnc.samples.report;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.awt.color.ColorSpace;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image files in and out of cnnc's CHW float layout (one plane per channel, rows top to bottom).
 *
 * <p>Reading: any format ImageIO decodes (PNG, JPEG, BMP, GIF), resized with bilinear
 * interpolation to the network's height x width (pixel centres aligned as PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)} does; no anti-aliasing, so shrink very
 * large photos by at most ~4x for best results), converted to 1 channel (luma,
 * {@code 0.299 R + 0.587 G + 0.114 B}) or 3 channels (R, G, B), values in [0, 1]. Transparent pixels
 * are composited over black, the background of MNIST-style data. Normalization is the caller's job.
 *
 * <p>Writing: a CHW float image of 1 or 3 channels as PNG, values mapped linearly from their minimum
 * (black) to their maximum (white), for edge-filter outputs and learned filters, written to a
 * temporary file and renamed.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /**
     * Reads an image file as a CHW float array of {@code channels x height x width} in [0, 1].
     *
     * @param channels 1 (grey) or 3 (RGB)
     * @throws IOException naming the file if it is missing or not a decodable image
     */
    public static float[] readChw(File file, int channels, int height, int width) throws IOException {
        return toChw(read(file), channels, height, width);
    }

    /**
     * Most pixels {@link #read} decodes: 2<sup>25</sup> (e.g. 8192 x 4096), 128 MiB as ARGB. The
     * networks take a few thousand pixels; this only bounds what a hostile header can make us allocate.
     */
    public static final long MAX_PIXELS = 1L << 25;
    /**
     * Most pixels a file can honestly hold per byte: deflate (PNG) packs at most 1032 bytes into one
     * and GIF's LZW stays below 4096 pixels per byte, so a header claiming more than this times the
     * file's length describes data the file does not have.
     */
    static final long PIXELS_PER_FILE_BYTE = 4096;

    /**
     * Decodes an image file. Its header's size is checked against {@link #MAX_PIXELS} and against
     * what the file's length can hold before the decoder allocates the pixels.
     *
     * @throws IOException naming the file if it is missing, not a decodable image, truncated or
     *                     claims more pixels than allowed
     */
    public static BufferedImage read(File file) throws IOException {
        if (!file.isFile()) {
            throw new FileNotFoundException(file.getPath() + ": no such image file");
        }
        ImageInputStream stream = ImageIO.createImageInputStream(file);
        if (stream == null) {
            throw new IOException(file.getPath() + ": cannot be opened for reading");
        }
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IOException(file.getPath() + ": not an image in a format this Java can read (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                checkSize(file, reader.getWidth(0), reader.getHeight(0));
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new IOException(file.getPath() + ": the " + reader.getFormatName() + " decoder returned no image");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.getPath() + ": ")) {
                throw e;
            }
            // Decoders throw bare EOFExceptions, IIOExceptions and RuntimeExceptions on damaged data.
            throw new IOException(file.getPath() + ": not a readable image (" + e + ")", e);
        } finally {
            stream.close();
        }
    }

    private static void checkSize(File file, long width, long height) throws IOException {
        long pixels = width * height;
        if (width <= 0 || height <= 0) {
            throw new IOException(file.getPath() + ": the header gives an empty image of " + width + "x" + height + " pixels");
        }
        if (pixels > MAX_PIXELS) {
            throw new IOException(file.getPath() + ": the header claims " + width + "x" + height + " pixels, more than the "
                + MAX_PIXELS + " this reader decodes; shrink the image first");
        }
        long length = file.length();
        if (pixels > PIXELS_PER_FILE_BYTE * length) {
            throw new IOException(file.getPath() + ": the header claims " + width + "x" + height + " pixels, more than a file of "
                + length + " bytes can hold; the file is truncated or corrupt");
        }
    }

    /**
     * Converts an image to a CHW float array of {@code channels x height x width} in [0, 1],
     * resizing it bilinearly when its size differs.
     */
    public static float[] toChw(BufferedImage image, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        float[] native3 = nativeChw(image);
        int sourceChannels = native3.length / (image.getHeight() * image.getWidth());
        float[] converted = sourceChannels == channels ? native3
            : channels == 1 ? toGrey(native3) : greyToRgb(native3);
        return resizeBilinear(converted, channels, image.getHeight(), image.getWidth(), height, width);
    }

    /**
     * The image's own pixels as CHW floats: 1 plane for grey images (read from the raster, so a
     * grey PNG byte {@code v} becomes exactly {@code v / 255}), else 3 planes R, G, B in sRGB.
     */
    private static float[] nativeChw(BufferedImage image) {
        int height = image.getHeight();
        int width = image.getWidth();
        int plane = height * width;
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        boolean grey = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
            && model.getNumColorComponents() == 1 && raster.getNumBands() == model.getNumComponents();
        if (grey) {
            // getRGB would pass grey through a colour-space conversion that changes the values.
            float maxValue = (1 << model.getComponentSize(0)) - 1;
            boolean alpha = model.hasAlpha();
            float maxAlpha = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
            float[] chw = new float[plane];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    float value = raster.getSample(x, y, 0) / maxValue;
                    if (alpha) {
                        value *= raster.getSample(x, y, 1) / maxAlpha;
                    }
                    chw[y * width + x] = value;
                }
            }
            return chw;
        }
        float[] chw = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = image.getRGB(x, y);
                float alpha = (argb >>> 24) / 255f;
                int index = y * width + x;
                chw[index] = ((argb >> 16) & 0xff) / 255f * alpha;
                chw[plane + index] = ((argb >> 8) & 0xff) / 255f * alpha;
                chw[2 * plane + index] = (argb & 0xff) / 255f * alpha;
            }
        }
        return chw;
    }

    private static float[] toGrey(float[] rgb) {
        int plane = rgb.length / 3;
        float[] grey = new float[plane];
        for (int i = 0; i < plane; i++) {
            grey[i] = 0.299f * rgb[i] + 0.587f * rgb[plane + i] + 0.114f * rgb[2 * plane + i];
        }
        return grey;
    }

    private static float[] greyToRgb(float[] grey) {
        float[] rgb = new float[3 * grey.length];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(grey, 0, rgb, c * grey.length, grey.length);
        }
        return rgb;
    }

    /**
     * Bilinear resize of a CHW image, with half-pixel centres: output pixel {@code (y, x)} samples
     * the input at {@code ((y + 0.5) * inHeight / outHeight - 0.5, ...)}, clamped to the edges.
     * Returns the input array itself when the size is unchanged.
     */
    public static float[] resizeBilinear(float[] chw, int channels, int inHeight, int inWidth,
                                         int outHeight, int outWidth) {
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + outHeight + "x" + outWidth);
        }
        checkImage(chw, 0, channels, inHeight, inWidth);
        if (inHeight == outHeight && inWidth == outWidth) {
            return chw;
        }
        int[] rowBelow = new int[outHeight];
        int[] rowAbove = new int[outHeight];
        float[] rowWeight = new float[outHeight];
        samplePositions(inHeight, outHeight, rowBelow, rowAbove, rowWeight);
        int[] columnLeft = new int[outWidth];
        int[] columnRight = new int[outWidth];
        float[] columnWeight = new float[outWidth];
        samplePositions(inWidth, outWidth, columnLeft, columnRight, columnWeight);
        float[] out = new float[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            int inPlane = c * inHeight * inWidth;
            int outPlane = c * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                int top = inPlane + rowBelow[y] * inWidth;
                int bottom = inPlane + rowAbove[y] * inWidth;
                float wy = rowWeight[y];
                for (int x = 0; x < outWidth; x++) {
                    float wx = columnWeight[x];
                    float upper = chw[top + columnLeft[x]] * (1 - wx) + chw[top + columnRight[x]] * wx;
                    float lower = chw[bottom + columnLeft[x]] * (1 - wx) + chw[bottom + columnRight[x]] * wx;
                    out[outPlane + y * outWidth + x] = upper * (1 - wy) + lower * wy;
                }
            }
        }
        return out;
    }

    private static void samplePositions(int inSize, int outSize, int[] below, int[] above, float[] weight) {
        double scale = (double) inSize / outSize;
        for (int i = 0; i < outSize; i++) {
            double position = Math.max(0, (i + 0.5) * scale - 0.5);
            int low = Math.min((int) position, inSize - 1);
            below[i] = low;
            above[i] = Math.min(low + 1, inSize - 1);
            weight[i] = (float) (position - low);
        }
    }

    /**
     * Writes a CHW image of 1 or 3 channels as a PNG, mapping its minimum to 0 and its maximum to
     * 255 (a constant image becomes mid grey). Written to a temporary file beside {@code file}, then
     * renamed, so no half-written PNG is ever left.
     */
    public static void writePng(float[] chw, int offset, int channels, int height, int width, File file)
        throws IOException {
        checkImage(chw, offset, channels, height, width);
        float[] range = range(chw, offset, channels * height * width);
        writePng(toImage(chw, offset, channels, height, width, range[0], range[1], 1), file);
    }

    /** Writes an image as PNG through a temporary file and a rename. */
    public static void writePng(BufferedImage image, File file) throws IOException {
        Path target = file.toPath().toAbsolutePath();
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
        try {
            Files.write(temporary, encodePng(image));
            AtomicFiles.replace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A CHW image of positive size must lie inside {@code chw} from {@code offset}. */
    private static void checkImage(float[] chw, int offset, int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + channels + "x" + height + "x" + width);
        }
        long size = (long) channels * height * width;
        if (offset < 0 || offset + size > chw.length) {
            throw new IllegalArgumentException("a " + channels + "x" + height + "x" + width + " image at offset " + offset
                + " needs " + size + " floats, the array holds " + chw.length);
        }
    }

    /** {@code {min, max}} of {@code length} values from {@code offset}. */
    public static float[] range(float[] values, int offset, int length) {
        if (offset < 0 || length < 0 || offset > values.length - length) {
            throw new IllegalArgumentException(length + " values at offset " + offset + " do not fit in an array of "
                + values.length);
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + length; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return new float[] {min, max};
    }

    /**
     * Renders a CHW image of 1 or 3 channels, mapping {@code low} to black and {@code high} to white
     * (values outside are clamped; if {@code high <= low} everything is mid grey), each pixel drawn
     * as a {@code scale x scale} block. 1 channel gives a grey image, 3 channels an RGB image.
     */
    public static BufferedImage toImage(float[] chw, int offset, int channels, int height, int width,
                                        float low, float high, int scale) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("an image has 1 or 3 channels, got " + channels);
        }
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        checkImage(chw, offset, channels, height, width);
        BufferedImage image = new BufferedImage(width * scale, height * scale,
            channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        WritableRaster raster = image.getRaster();
        int plane = height * width;
        for (int y = 0; y < height * scale; y++) {
            for (int x = 0; x < width * scale; x++) {
                int index = offset + (y / scale) * width + x / scale;
                if (channels == 1) {
                    raster.setSample(x, y, 0, toByte(chw[index], low, high));
                } else {
                    int red = toByte(chw[index], low, high);
                    int green = toByte(chw[index + plane], low, high);
                    int blue = toByte(chw[index + 2 * plane], low, high);
                    image.setRGB(x, y, red << 16 | green << 8 | blue);
                }
            }
        }
        return image;
    }

    private static int toByte(float value, float low, float high) {
        if (!(high > low)) {
            return 128;
        }
        float scaled = (value - low) / (high - low) * 255f;
        return Math.round(Math.max(0f, Math.min(255f, scaled)));
    }

    /** The PNG encoding of an image. */
    public static byte[] encodePng(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("this Java has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding into memory failed", e);
        }
        return bytes.toByteArray();
    }

    /** A {@code data:image/png;base64,...} URI of the image, for self-contained HTML. */
    public static String pngDataUri(BufferedImage image) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(encodePng(image));
    }
}
