package dev.cnnc.samples.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InputDigestTest {

    /**
     * Every pixel value 0..255 scaled as cnnc's IdxReader scales it ({@code (b & 0xff) / 255f}) hashes
     * to what torch_interchange.py computes for the same bytes:
     * {@code hashlib.sha256((np.arange(256, dtype=np.uint8).astype(np.float32) / np.float32(255)).astype("<f4").tobytes())}
     * (digest computed with NumPy 1.24). So the two sides' preprocessing agrees on every possible pixel.
     */
    @Test
    void everyPixelValueScalesAsNumPyDoes() {
        float[] pixels = new float[256];
        for (int b = 0; b < 256; b++) {
            pixels[b] = ((byte) b & 0xff) / 255f;
        }
        assertEquals("010413efe9fc4438fee48de66c4d09f377b28af6a9fe2522201e8c1dbb831fc8", InputDigest.sha256(pixels));
    }

    @Test
    void emptyInputIsTheEmptyDigest() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", InputDigest.sha256(new float[0]));
    }

    @Test
    void inputsLongerThanOneChunkHashEveryFloat() {
        float[] values = new float[40_000];
        String before = InputDigest.sha256(values);
        values[39_999] = Float.MIN_VALUE;
        assertEquals(64, before.length());
        org.junit.jupiter.api.Assertions.assertNotEquals(before, InputDigest.sha256(values), "last float counts");
    }
}
