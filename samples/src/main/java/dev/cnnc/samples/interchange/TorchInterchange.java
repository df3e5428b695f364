package dev.cnnc.samples.interchange;

import dev.cnnc.runtime.Dataset;
import dev.cnnc.runtime.Evaluation;
import dev.cnnc.runtime.Sgd;
import dev.cnnc.runtime.Trainer;
import dev.cnnc.runtime.data.ClassNames;
import dev.cnnc.runtime.data.IdxReader;
import dev.cnnc.runtime.data.LabeledImages;
import dev.cnnc.runtime.interchange.Safetensors;
import dev.cnnc.samples.FashionLeNetInference;
import dev.cnnc.samples.FashionLeNetModel;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The cnnc side of the weight interchange sample: FashionLeNet moves between PyTorch and cnnc as a
 * safetensors file, and both sides classify the 10,000 Fashion-MNIST test images; the predictions
 * must agree. The command line is {@code cnnc torch} ({@code dev.cnnc.samples.cli.TorchCommand}); the PyTorch
 * side is {@code samples/scripts/torch_interchange.py}; {@code samples/scripts/round-trip.sh} runs both
 * directions. See {@code docs/INTERCHANGE.md}.
 *
 * <p>Preprocessing on both sides: pixel byte / 255 in float32, no normalisation, 1x28x28 CHW.
 */
public final class TorchInterchange {
    private TorchInterchange() {}

    /**
     * PyTorch -> cnnc: loads PyTorch's weights into {@code FashionLeNetInference}, classifies the test
     * images, prints the comparison with PyTorch's predictions and returns it.
     * @param cnncPredictions where to write cnnc's predictions too, or null
     */
    public static PredictionComparison importCompare(File weights, Path torchPredictions, Path cnncPredictions,
            File data, PrintStream out) throws IOException {
        LabeledImages test = IdxReader.readSplit(data, "t10k", ClassNames.fashionMnist());
        Predictions torch = Predictions.read(torchPredictions);
        FashionLeNetModel model = new FashionLeNetModel();
        Safetensors.read(model, weights); // strict: exactly FashionLeNet's tensors, names and shapes
        FashionLeNetInference inference = new FashionLeNetInference(model.parameters());
        Predictions cnnc = predict(inference, test, "cnnc FashionLeNetInference import " + weights.getName());
        if (cnncPredictions != null) {
            cnnc.write(cnncPredictions);
        }
        out.println("cnnc loaded " + weights + " into FashionLeNetInference and classified "
                + String.format(Locale.ROOT, "%,d", test.count()) + " test images");
        return report(PredictionComparison.compare("cnnc", cnnc, "PyTorch", torch, test.labels()), out);
    }

    /** cnnc -> PyTorch: trains, exports the parameters and cnnc's predictions for the Python side. */
    public static void trainExport(File weights, Path predictions, int epochs, long seed, int threads, File data,
            PrintStream out) throws IOException {
        String[] classNames = ClassNames.fashionMnist();
        LabeledImages train = IdxReader.readSplit(data, "train", classNames);
        LabeledImages test = IdxReader.readSplit(data, "t10k", classNames);
        Dataset testSet = test.toDataset();
        FashionLeNetModel model = new FashionLeNetModel();
        Trainer.builder(model)
                .optimizer(new Sgd(0.01f).momentum(0.9f)) // the PyTorch peer's settings
                .batchSize(64)
                .epochs(epochs)
                .seed(seed)
                .threads(threads)
                .validation(testSet)
                .progress(out)
                .build()
                .fit(train.toDataset());
        Safetensors.write(model, weights);
        Predictions cnnc = predict(model.toInference(), test,
                "cnnc FashionLeNetModel train-export seed " + seed + " epochs " + epochs);
        cnnc.write(predictions);
        out.printf(Locale.ROOT, "test accuracy %.2f%%; wrote %s (%,d parameters) and %s (%,d predictions)%n",
                100 * Evaluation.of(model, testSet).accuracy(), weights, model.parameterCount(), predictions,
                cnnc.count());
    }

    /** Prints and returns the comparison of two predictions files of the same images; with {@code data}, each side's accuracy too. */
    public static PredictionComparison compare(Path fileA, Path fileB, File data, PrintStream out) throws IOException {
        Predictions a = Predictions.read(fileA);
        Predictions b = Predictions.read(fileB);
        int[] labels = data == null ? null : IdxReader.readSplit(data, "t10k", ClassNames.fashionMnist()).labels();
        return report(PredictionComparison.compare(side(a), a, side(b), b, labels), out);
    }

    /** Classifies every image with the standalone inference class. */
    static Predictions predict(FashionLeNetInference inference, LabeledImages images, String producer) {
        float[][] probabilities = new float[images.count()][];
        for (int i = 0; i < images.count(); i++) {
            probabilities[i] = inference.predict(images.image(i));
        }
        return Predictions.fromProbabilities(producer, InputDigest.sha256(images.images()), probabilities);
    }

    /** The producer's first word ("cnnc", "pytorch"): the name of a side in the report. */
    private static String side(Predictions predictions) {
        String first = predictions.producer().split("\\s+")[0];
        return first.equalsIgnoreCase("pytorch") ? "PyTorch" : first;
    }

    private static PredictionComparison report(PredictionComparison comparison, PrintStream out) {
        out.print(comparison.format(ClassNames.fashionMnist()));
        return comparison;
    }
}
