package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SIGMOID;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Activation.TANH;
import static dev.cnnc.Padding.SAME;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.PoolKind.AVG;
import static dev.cnnc.PoolKind.MAX;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.Workspace;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <Name>Inference} on its own: compiles at Java 8 with nothing else, and agrees bit for bit with the model. */
class StandaloneInferenceTest {
    private static final NetworkSource LENET = network("CifarLeNet", 32, 32, 3).conv(6, 5, 1, VALID, RELU)
            .pool(MAX, 2, 2).conv(16, 5, 1, VALID, RELU).pool(MAX, 2, 2).dense(120, RELU).dense(84, RELU)
            .dense(10, SOFTMAX);

    /**
     * Where the Java 8 class files go; the build's animal-sniffer execution (processor/pom.xml,
     * phase verify) then checks them against Android API 21.
     */
    private static final Path ANDROID_CHECK = Path.of("target", "android-api-check");

    @Test
    void inferenceSourceCompilesAloneAtReleaseEightWithAnEmptyClasspath(@TempDir Path scratch) throws IOException {
        Path output = Files.createDirectories(ANDROID_CHECK);
        GeneratedNetwork generated = GeneratedNetwork.compile(LENET);
        String source = generated.generatedSource("Inference");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///test/CifarLeNetInference.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        Path emptyClasspath = Files.createDirectories(scratch.resolve("empty"));
        StringWriter messages = new StringWriter();
        boolean compiled = javac.getTask(messages, null, null,
                List.of("--release", "8", "-proc:none", "-Xlint:all", "-Werror", "-classpath",
                        emptyClasspath.toString(), "-d", output.toString()),
                null, List.of(file)).call();
        assertTrue(compiled, () -> "javac --release 8 failed:\n" + messages);
        byte[] classFile = Files.readAllBytes(output.resolve("test/CifarLeNetInference.class"));
        assertEquals(52, ClassFile.parse(classFile).majorVersion, "Java 8 class file");
    }

    @Test
    void modelAndInferenceAgreeBitForBit() {
        GeneratedNetwork generated = GeneratedNetwork.compile(LENET);
        assertAgreement(generated);
        assertAgreement(GeneratedNetwork.compile(network("Mixed", 11, 10, 2).conv(3, 3, 2, SAME, TANH)
                .pool(AVG, 2, 1).conv(4, 2, 1, VALID, SIGMOID).dense(5, RELU).dense(3, TANH)));
    }

    /**
     * The inference class's outputs are the model's, bit for bit, on 20 random images and parameters;
     * so are its batch outputs through either kernel (lane groups of 16 and the per-image rest).
     */
    static void assertAgreement(GeneratedNetwork generated) {
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED);
        TestData.randomize(model, random);
        Object inference = generated.inference(model.parameters());
        Workspace workspace = model.newWorkspace();
        int count = 20;
        int inputSize = model.inputSize();
        int outputSize = model.outputSize();
        float[] images = new float[count * inputSize];
        float[] expected = new float[count * outputSize];
        for (int sample = 0; sample < count; sample++) {
            float[] image = TestData.uniform(random, inputSize, -2, 2);
            System.arraycopy(image, 0, images, sample * inputSize, inputSize);
            float[] fromModel = new float[outputSize];
            model.forward(workspace, image, 0, fromModel, 0);
            float[] fromInference = GeneratedNetwork.predict(inference, image);
            assertArrayEquals(TestData.bits(fromModel), TestData.bits(fromInference), "sample " + sample);
            System.arraycopy(fromModel, 0, expected, sample * outputSize, outputSize);
        }
        for (boolean lanes : new boolean[] {true, false}) {
            float[] outputs = new float[count * outputSize];
            GeneratedNetwork.predictBatch(inference, images, count, outputs, lanes);
            assertArrayEquals(TestData.bits(expected), TestData.bits(outputs), lanes ? "predictBatch, lanes" : "predictBatch, images");
        }
    }

    @Test
    void classifyReturnsTheLargestOutput() {
        GeneratedNetwork generated = GeneratedNetwork.compile(LENET);
        TrainableModel model = generated.model();
        SplittableRandom random = new SplittableRandom(TestData.SEED + 7);
        TestData.randomize(model, random);
        Object inference = generated.inference(model.parameters());
        for (int sample = 0; sample < 10; sample++) {
            float[] image = TestData.uniform(random, model.inputSize(), 0, 1);
            float[] probabilities = GeneratedNetwork.predict(inference, image);
            int best = 0;
            for (int i = 1; i < probabilities.length; i++) {
                best = probabilities[i] > probabilities[best] ? i : best;
            }
            assertEquals(best, GeneratedNetwork.classify(inference, image));
            double sum = 0;
            for (float p : probabilities) {
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5, "probabilities sum to one");
        }
    }

    @Test
    void wrongInputLengthNamesTheExpectedLayout() {
        GeneratedNetwork generated = GeneratedNetwork.compile(LENET);
        Object inference = generated.inference(new float[62_006]);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GeneratedNetwork.predict(inference, new float[32 * 32]));
        assertTrue(error.getMessage().contains("3072") && error.getMessage().contains("3x32x32 (CHW)")
                && error.getMessage().contains("got 1024"), error.getMessage());
    }

    @Test
    void wrongParameterCountIsRefused() {
        GeneratedNetwork generated = GeneratedNetwork.compile(LENET);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> generated.inference(new float[62_005]));
        assertTrue(error.getMessage().contains("62006 parameters, got 62005"), error.getMessage());
    }

    @Test
    void labelOutOfRangeAndForeignWorkspaceAreRefused() {
        GeneratedNetwork generated = GeneratedNetwork.compile(LENET);
        TrainableModel model = generated.model();
        float[] image = new float[model.inputSize()];
        float[] gradient = new float[model.parameterCount()];
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> model.gradient(model.newWorkspace(), image, 0, 10, gradient));
        assertTrue(label.getMessage().contains("label 10 is outside [0, 10)"), label.getMessage());
        IllegalArgumentException workspace = assertThrows(IllegalArgumentException.class,
                () -> model.gradient(new Workspace() {}, image, 0, 1, gradient));
        assertTrue(workspace.getMessage().contains("not a workspace of CifarLeNetModel"), workspace.getMessage());
        IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                () -> model.gradient(model.newWorkspace(), image, 1, 1, gradient));
        assertTrue(offset.getMessage().contains("offset 1"), offset.getMessage());
    }

    @Test
    void nanInputPropagatesToTheOutputs() {
        GeneratedNetwork generated = GeneratedNetwork.compile(LENET);
        TrainableModel model = generated.model();
        TestData.randomize(model, new SplittableRandom(TestData.SEED));
        float[] image = new float[model.inputSize()];
        image[100] = Float.NaN;
        float[] output = GeneratedNetwork.predict(generated.inference(model.parameters()), image);
        for (float value : output) {
            assertTrue(Float.isNaN(value), "documented: NaN inputs give NaN outputs");
        }
    }
}
