package dev.cnnc.samples.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.data.ClassNames;
import dev.cnnc.runtime.data.IdxReader;
import dev.cnnc.runtime.data.LabeledImages;
import dev.cnnc.runtime.interchange.Safetensors;
import dev.cnnc.samples.Cnnc;
import dev.cnnc.samples.FashionLeNetInference;
import dev.cnnc.samples.FashionLeNetModel;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * PyTorch -> cnnc on files PyTorch really wrote (src/test/resources/interchange, made by
 * torch_interchange.py make-fixture; see its README): the script's safetensors file loads into
 * FashionLeNetInference, which then gives PyTorch's classes and, up to float rounding, its scores.
 */
class PyTorchFixtureTest {
    /** Largest accepted |cnnc score - PyTorch score|; float32 rounding gives about 1e-6 here. */
    private static final double SCORE_TOLERANCE = 1e-4;

    private static Path fixture() throws URISyntaxException {
        return Path.of(PyTorchFixtureTest.class.getResource("/interchange/torch.predictions").toURI()).getParent();
    }

    @Test
    void pytorchWeightsGivePyTorchsPredictions() throws IOException, URISyntaxException {
        Path directory = fixture();
        LabeledImages images = IdxReader.readSplit(directory.toFile(), "t10k", ClassNames.fashionMnist());
        Predictions torch = Predictions.read(directory.resolve("torch.predictions"));
        FashionLeNetModel model = new FashionLeNetModel();
        Safetensors.read(model, directory.resolve("torch.safetensors").toFile());

        Predictions cnnc = TorchInterchange.predict(new FashionLeNetInference(model.parameters()), images, "cnnc");
        assertEquals(torch.inputsSha256(), cnnc.inputsSha256(), "cnnc read the IDX images as the script scaled them");
        PredictionComparison comparison = PredictionComparison.compare("cnnc", cnnc, "PyTorch", torch, null);
        assertEquals(32, comparison.count());
        assertEquals(32, comparison.same(), comparison.format(null));
        assertTrue(comparison.maxScoreDifference() < SCORE_TOLERANCE, comparison.format(null));
        assertTrue(Arrays.stream(torch.predicted()).distinct().count() >= 5, "the fixture spreads over classes");
    }

    @Test
    void commandAgreesOnEveryFixtureImage() throws IOException, URISyntaxException {
        Path directory = fixture();
        File weights = directory.resolve("torch.safetensors").toFile();
        int status = Cnnc.commandLine(System.out, System.err).execute("torch", "import-compare",
            "--weights", weights.getPath(), "--predictions", directory.resolve("torch.predictions").toString(),
            "--data", directory.toString(), "--require", "1");
        assertEquals(0, status);
    }
}
