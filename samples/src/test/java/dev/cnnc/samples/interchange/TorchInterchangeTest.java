package dev.cnnc.samples.interchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.SplitMix64;
import dev.cnnc.runtime.data.ClassNames;
import dev.cnnc.runtime.data.IdxReader;
import dev.cnnc.runtime.data.LabeledImages;
import dev.cnnc.runtime.interchange.Safetensors;
import dev.cnnc.samples.Cnnc;
import dev.cnnc.samples.FashionLeNetModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnnc torch} end to end on a small IDX test split: a safetensors file and a predictions file
 * made by a stand-in for the PyTorch side (cnnc itself, so no PyTorch is needed here).
 */
class TorchInterchangeTest {
    private static final int IMAGES = 20;

    @TempDir
    Path directory;
    private Path weights;
    private Path predictions;
    private FashionLeNetModel model;

    @BeforeEach
    void standInForPyTorch() throws IOException {
        SplitMix64 random = new SplitMix64(5);
        writeIdx(directory.resolve("t10k-images-idx3-ubyte"), 0x803, new int[] {IMAGES, 28, 28}, random);
        writeIdx(directory.resolve("t10k-labels-idx1-ubyte"), 0x801, new int[] {IMAGES}, random);
        model = new FashionLeNetModel();
        for (int i = 0; i < model.parameters().length; i++) {
            model.parameters()[i] = (float) (random.nextGaussian() * 0.2);
        }
        weights = directory.resolve("torch.safetensors");
        Safetensors.write(model, weights.toFile());
        LabeledImages test = IdxReader.readSplit(directory.toFile(), "t10k", ClassNames.fashionMnist());
        predictions = directory.resolve("torch.predictions");
        TorchInterchange.predict(model.toInference(), test, "pytorch stand-in").write(predictions);
    }

    @Test
    void importedWeightsReproduceThePredictions() {
        String out = run(0, "import-compare", "--weights", weights.toString(), "--predictions", predictions.toString(),
                "--data", directory.toString(), "--require", "1", "--out", directory.resolve("cnnc.predictions").toString());
        assertTrue(out.contains("same predicted class (cnnc vs PyTorch): 20 / 20 = 100.00%"), out);
        assertTrue(out.contains("largest |log-softmax difference|: 0.00"), out);
        String compared = run(0, "compare", "--a", directory.resolve("cnnc.predictions").toString(),
                "--b", predictions.toString(), "--require", "1");
        assertTrue(compared.contains("(cnnc vs PyTorch): 20 / 20 = 100.00%"), compared);
    }

    @Test
    void aChangedPredictionIsListedAndFailsTheRequirement() throws IOException {
        Predictions torch = Predictions.read(predictions);
        int[] changed = torch.predicted().clone();
        changed[3] = (changed[3] + 1) % 10;
        new Predictions(torch.producer(), torch.inputsSha256(), changed, torch.scores()).write(predictions);
        String out = run(1, "import-compare", "--weights", weights.toString(), "--predictions", predictions.toString(),
                "--data", directory.toString(), "--require", "0.999");
        assertTrue(out.contains("19 / 20 = 95.00%"), out);
        assertTrue(out.contains("  image 3 (label "), out);
        assertTrue(out.contains("cnnc torch import-compare: agreement 19 / 20 = 95.00% is below the required 99.9%"),
                out);
    }

    @Test
    void weightsOfAnotherShapeAreRefusedNamingTheFile() throws IOException {
        byte[] file = Files.readAllBytes(weights);
        String text = new String(file, StandardCharsets.ISO_8859_1).replace("\"shape\":[120,400]", "\"shape\":[400,120]");
        Files.write(weights, text.getBytes(StandardCharsets.ISO_8859_1));
        String out = run(1, "import-compare", "--weights", weights.toString(), "--predictions", predictions.toString(),
                "--data", directory.toString());
        assertTrue(out.contains("cnnc torch import-compare: ") && out.contains(weights.toString())
                && out.contains("fc1.weight"), out);
    }

    @Test
    void predictionsOfOtherInputsAreRefused() throws IOException {
        Predictions torch = Predictions.read(predictions);
        new Predictions(torch.producer(), "f".repeat(64), torch.predicted(), torch.scores()).write(predictions);
        String out = run(1, "import-compare", "--weights", weights.toString(), "--predictions", predictions.toString(),
                "--data", directory.toString());
        assertTrue(out.contains("different inputs"), out);
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertPrints(2, "Unmatched argument at index 1: 'export'", "export");
        assertPrints(2, "Unknown options: '--weight', 'x'", "import-compare", "--weights", "w", "--predictions", "p",
                "--weight", "x");
        assertPrints(2, "Missing required option: '--weights=FILE'", "import-compare", "--predictions", "p");
        assertPrints(2, "Missing required parameter for option '--epochs'", "train-export", "--weights", "w",
                "--predictions", "p", "--epochs");
        assertPrints(1, "cnnc torch compare: --require 1.5 must be a fraction between 0 and 1", "compare", "--a", "x",
                "--b", "y", "--require", "1.5");
        assertPrints(1, "cnnc torch train-export: --epochs must be at least 1, was 0", "train-export", "--weights", "w",
                "--predictions", "p", "--epochs", "0");
        assertPrints(1, "missing: no such directory", "import-compare", "--weights", "w", "--predictions", "p",
                "--data", directory.resolve("missing").toString());
        assertPrints(1, "cnnc torch: cnnc torch needs a command: import-compare, train-export or compare");
    }

    private static void assertPrints(int status, String expected, String... args) {
        String printed = run(status, args);
        assertTrue(printed.contains(expected), "expected '" + expected + "' in:\n" + printed);
    }

    /** Runs {@code cnnc torch ARGS}, checks its exit status and returns what it printed (out, then err). */
    private static String run(int status, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] command = new String[args.length + 1];
        command[0] = "torch";
        System.arraycopy(args, 0, command, 1, args.length);
        int actual = Cnnc.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(command);
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(status, actual, printed);
        return printed;
    }

    /** A raw unsigned-byte IDX file with random content (labels below 10). */
    private static void writeIdx(Path file, int magic, int[] dims, SplitMix64 random) throws IOException {
        int count = 1;
        for (int dim : dims) {
            count *= dim;
        }
        ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * dims.length + count).putInt(magic);
        for (int dim : dims) {
            bytes.putInt(dim);
        }
        for (int i = 0; i < count; i++) {
            bytes.put((byte) random.nextInt(dims.length == 1 ? 10 : 256));
        }
        Files.write(file, bytes.array());
    }
}
