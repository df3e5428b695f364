package dev.cnnc.processor.parity;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.cnnc.processor.CnncProcessor;
import dev.cnnc.processor.emit.GeneratedNetwork;
import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import java.net.MalformedURLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated models against PyTorch: the same network with the same weights and input gives the
 * same outputs, loss and parameter gradients as the fixtures that
 * {@code samples/scripts/make_parity_fixtures.py} wrote with PyTorch.
 */
class PyTorchParityTest {
    private static final Map<String, GeneratedNetwork> NETWORKS = new HashMap<>();

    @BeforeAll
    static void compileParityNetworks() throws MalformedURLException {
        Compilation compilation = javac().withProcessors(new CnncProcessor()).withOptions("-Acnnc.summary=false")
                .compile(JavaFileObjects.forResource(ParityNetworksCompileTest.SOURCE.toURI().toURL()));
        for (String name : ParityNetworks.NAMES) {
            NETWORKS.put(name, GeneratedNetwork.of(compilation, "dev.cnnc.processor.parity." + name));
        }
    }

    static Stream<String> fixtures() {
        return ParityFixture.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void tensorsAreNamedShapedAndPlacedAsPyTorchsStateDict(String name) {
        ParityFixture fixture = ParityFixture.load(name);
        TrainableModel model = model(fixture);
        ParameterTensor[] tensors = model.tensors();
        List<ParityFixture.Tensor> expected = fixture.tensors();
        assertEquals(expected.size(), tensors.length, "tensor count");
        for (int i = 0; i < tensors.length; i++) {
            assertEquals(expected.get(i).name(), tensors[i].name());
            assertArrayEquals(expected.get(i).shape(), tensors[i].shape(), tensors[i].name());
            assertEquals(expected.get(i).offset(), tensors[i].offset(), tensors[i].name());
        }
        assertEquals(fixture.architecture(), model.architecture());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void forwardMatchesPyTorchWithinOneInHundredThousand(String name) {
        ParityFixture fixture = ParityFixture.load(name);
        TrainableModel model = model(fixture);
        float[] output = new float[model.outputSize()];
        model.forward(model.newWorkspace(), fixture.input(), 0, output, 0);
        for (int i = 0; i < output.length; i++) {
            int index = i;
            assertTrue(Math.abs(output[i] - fixture.output()[i]) <= 1e-5,
                    () -> name + " output[" + index + "]: cnnc " + output[index] + ", PyTorch " + fixture.output()[index]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void lossAndGradientsMatchPyTorch(String name) {
        ParityFixture fixture = ParityFixture.load(name);
        TrainableModel model = model(fixture);
        float[] gradient = new float[model.parameterCount()];
        float loss = model.gradient(model.newWorkspace(), fixture.input(), 0, fixture.label(), gradient);
        assertTrue(Math.abs(loss - fixture.loss()) <= 1e-5 * Math.abs(fixture.loss()) + 1e-7,
                () -> name + " loss: cnnc " + loss + ", PyTorch " + fixture.loss());
        for (ParameterTensor tensor : model.tensors()) {
            double difference = 0;
            double norm = 0;
            for (int i = tensor.offset(); i < tensor.offset() + tensor.length(); i++) {
                double expected = fixture.grad()[i];
                difference += (gradient[i] - expected) * (gradient[i] - expected);
                norm += expected * expected;
            }
            double relative = Math.sqrt(difference) / Math.max(Math.sqrt(norm), 1e-12);
            assertTrue(relative <= 1e-4 || Math.sqrt(difference) <= 1e-9, () -> String.format(
                    "%s %s: gradient differs from PyTorch's by %.3g of its norm", name, tensor.name(), relative));
        }
    }

    private static TrainableModel model(ParityFixture fixture) {
        TrainableModel model = NETWORKS.get(fixture.network()).model();
        assertEquals(fixture.params().length, model.parameterCount(), fixture.name() + " parameter count");
        System.arraycopy(fixture.params(), 0, model.parameters(), 0, model.parameterCount());
        return model;
    }
}
