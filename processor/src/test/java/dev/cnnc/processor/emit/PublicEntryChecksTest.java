package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnc.runtime.TrainableModel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every public entry of the generated classes refuses bad arguments with a message naming the
 * network and the argument, before it writes anything: wrong lengths, offsets, counts and labels.
 * NaN and infinite inputs are documented as not checked on this hot path (the runtime's Dataset
 * refuses them before training); here they must neither throw nor disturb later calls.
 */
class PublicEntryChecksTest {
    private static GeneratedNetwork generated;
    private static TrainableModel model;
    private static Object inference;

    @BeforeAll
    static void compile() {
        generated = GeneratedNetwork.compile(network("Checked", 6, 6, 1).conv(2, 3, 1, VALID, RELU).pool(MAX, 2, 2)
                .dense(3, SOFTMAX));
        model = generated.model();
        TestData.randomize(model, new SplittableRandom(TestData.SEED));
        inference = generated.inference(model.parameters());
    }

    private static Object call(String method, Class<?>[] types, Object... arguments) {
        return GeneratedNetwork.invoke(model, method, types, arguments);
    }

    private static String refused(Class<? extends RuntimeException> type, Runnable call) {
        return assertThrows(type, call::run).getMessage();
    }

    @Test
    void predictNamesTheWrongLength() {
        assertEquals("Checked: chw must hold 36 floats, got 35 (an input is 1x6x6 (CHW), an output 3 floats)",
                refused(IllegalArgumentException.class, () -> GeneratedNetwork.predict(inference, new float[35])));
        assertEquals("chw is null", refused(NullPointerException.class, () -> GeneratedNetwork.predict(inference, null)));
        assertEquals("Checked: output must hold 3 floats, got 4 (an input is 1x6x6 (CHW), an output 3 floats)",
                refused(IllegalArgumentException.class, () -> GeneratedNetwork.invoke(inference, "predict",
                        new Class<?>[] {float[].class, float[].class}, new float[36], new float[4])));
    }

    @Test
    void constructorsNameTheParameterCount() {
        assertEquals("Checked has 47 parameters, got 56",
                refused(IllegalArgumentException.class, () -> generated.inference(new float[56])));
    }

    @Test
    void gradientNamesTheLabelAndTheOffset() {
        float[] grad = new float[model.parameterCount()];
        assertEquals("label 3 is outside [0, 3)", refused(IllegalArgumentException.class,
                () -> model.gradient(model.newWorkspace(), new float[36], 0, 3, grad)));
        assertEquals("label -1 is outside [0, 3)", refused(IllegalArgumentException.class,
                () -> model.gradient(model.newWorkspace(), new float[36], 0, -1, grad)));
        assertEquals("Checked: image at offset 1 needs 36 floats but the array holds 36 (an input is 1x6x6 (CHW))",
                refused(IllegalArgumentException.class,
                        () -> model.gradient(model.newWorkspace(), new float[36], 1, 0, grad)));
        assertEquals("Checked: grad must hold 47 floats, got 56 (an input is 1x6x6 (CHW), an output 3 floats)",
                refused(IllegalArgumentException.class,
                        () -> model.gradient(model.newWorkspace(), new float[36], 0, 0, new float[56])));
        assertArrayEquals(new float[grad.length], grad, "a refused call wrote into grad");
    }

    @Test
    void gradientBatchChecksEverySampleBeforeAddingAnything() {
        Class<?>[] types = {float[].class, int[].class, int.class, float[].class};
        float[] images = new float[3 * 36];
        float[] grad = new float[model.parameterCount()];
        assertEquals("Checked: labels[2] = 7 is outside [0, 3)", refused(IllegalArgumentException.class,
                () -> call("gradientBatch", types, images, new int[] {0, 1, 7}, 3, grad)));
        assertEquals("Checked: labels holds 2 labels, but count is 3", refused(IllegalArgumentException.class,
                () -> call("gradientBatch", types, images, new int[] {0, 1}, 3, grad)));
        assertEquals("Checked: images holds 108 floats, but count 4 needs count x 36 (an input is 1x6x6 (CHW), an"
                + " output 3 floats)", refused(IllegalArgumentException.class,
                () -> call("gradientBatch", types, images, new int[] {0, 1, 2, 0}, 4, grad)));
        assertEquals("Checked: images holds 108 floats, but count -1 needs count x 36 (an input is 1x6x6 (CHW), an"
                + " output 3 floats)", refused(IllegalArgumentException.class,
                () -> call("gradientBatch", types, images, new int[] {0}, -1, grad)));
        assertEquals("Checked: images holds 108 floats, but count 2147483647 needs count x 36 (an input is 1x6x6"
                + " (CHW), an output 3 floats)", refused(IllegalArgumentException.class,
                () -> call("gradientBatch", types, images, new int[] {0}, Integer.MAX_VALUE, grad)));
        assertArrayEquals(new float[grad.length], grad, "a refused batch added gradients");
    }

    @Test
    void gradientsChecksEverySampleBeforeAddingAnything() {
        float[] images = new float[3 * 36];
        int[] labels = {0, 1, 2};
        float[] grad = new float[model.parameterCount()];
        float[] outputs = new float[9];
        assertEquals("Checked: labels[2] = 7 is outside [0, 3)", refused(IllegalArgumentException.class,
                () -> model.gradients(model.newWorkspace(), images, new int[] {0, 1, 7}, new int[] {0, 2}, 0, 2, grad,
                        outputs)));
        assertEquals("Checked: samples[1] = 3 is not one of the 3 images in images (108 floats)",
                refused(IllegalArgumentException.class, () -> model.gradients(model.newWorkspace(), images, labels,
                        new int[] {0, 3}, 0, 2, grad, outputs)));
        assertEquals("Checked: samples[0] = -1 is not one of the 3 images in images (108 floats)",
                refused(IllegalArgumentException.class, () -> model.gradients(model.newWorkspace(), images, labels,
                        new int[] {-1}, 0, 1, grad, outputs)));
        assertEquals("Checked: samples[1] = 2 has no label (labels holds 2)", refused(IllegalArgumentException.class,
                () -> model.gradients(model.newWorkspace(), images, new int[] {0, 1}, new int[] {0, 2}, 0, 2, grad,
                        outputs)));
        assertEquals("Checked: samples [1, 3) is not a range of the 2 entries of samples",
                refused(IllegalArgumentException.class, () -> model.gradients(model.newWorkspace(), images, labels,
                        new int[] {0, 1}, 1, 3, grad, outputs)));
        assertEquals("Checked: samples [2, 1) is not a range of the 2 entries of samples",
                refused(IllegalArgumentException.class, () -> model.gradients(model.newWorkspace(), images, labels,
                        new int[] {0, 1}, 2, 1, grad, outputs)));
        assertEquals("Checked: outputs holds 5 floats, 2 samples need 6", refused(IllegalArgumentException.class,
                () -> model.gradients(model.newWorkspace(), images, labels, new int[] {0, 1}, 0, 2, grad,
                        new float[5])));
        assertEquals("Checked: grad holds 46 floats, the model has 47 parameters",
                refused(IllegalArgumentException.class, () -> model.gradients(model.newWorkspace(), images, labels,
                        new int[] {0, 1}, 0, 2, new float[46], outputs)));
        assertEquals("Checked: labels is null", refused(NullPointerException.class,
                () -> model.gradients(model.newWorkspace(), images, null, new int[] {0}, 0, 1, grad, outputs)));
        assertArrayEquals(new float[grad.length], grad, "a refused run added gradients");
        assertArrayEquals(new float[9], outputs, "a refused run wrote outputs");
    }

    @Test
    void forwardBatchChecksBothArraysBeforeWritingAnOutput() {
        Class<?>[] types = {float[].class, int.class, float[].class};
        float[] outputs = new float[6];
        Arrays.fill(outputs, -5f);
        assertEquals("Checked: outputs holds 6 floats, but count 3 needs count x 3 (an input is 1x6x6 (CHW), an"
                + " output 3 floats)", refused(IllegalArgumentException.class,
                () -> call("forwardBatch", types, new float[3 * 36], 3, outputs)));
        float[] untouched = new float[6];
        Arrays.fill(untouched, -5f);
        assertArrayEquals(untouched, outputs, "a refused batch wrote outputs");
    }

    @Test
    void nonFiniteInputsAreNotCheckedAndLeaveNoTrace() {
        float[] image = TestData.uniform(new SplittableRandom(3), 36, 0, 1);
        float[] before = GeneratedNetwork.predict(inference, image);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] hostile = image.clone();
            hostile[7] = bad;
            GeneratedNetwork.predict(inference, hostile); // documented: no exception, output unspecified
            model.forward(model.newWorkspace(), hostile, 0, new float[3], 0);
        }
        assertArrayEquals(before, GeneratedNetwork.predict(inference, image), "a NaN input changed later results");
    }
}
