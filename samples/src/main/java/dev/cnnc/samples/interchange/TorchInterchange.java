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
import java.math.BigDecimal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The cnnc side of the weight interchange sample: FashionLeNet moves between PyTorch and cnnc as a
 * safetensors file, and both sides classify the 10,000 Fashion-MNIST test images; the predictions
 * must agree. The PyTorch side is {@code samples/scripts/torch_interchange.py};
 * {@code samples/scripts/round-trip.sh} runs both directions. See {@code docs/INTERCHANGE.md}.
 *
 * <p>Preprocessing on both sides: pixel byte / 255 in float32, no normalisation, 1x28x28 CHW.
 */
public final class TorchInterchange {
    static final String DEFAULT_DATA = "/usr/share/datasets/fashion-mnist";

    private static final String USAGE = """
            usage: TorchInterchange import-compare --weights torch.safetensors --predictions torch.predictions
                                                   [--out cnnc.predictions] [--require 0.999] [--data DIR]
                   TorchInterchange train-export --weights cnnc.safetensors --predictions cnnc.predictions
                                                 [--epochs 2] [--seed 42] [--threads N] [--data DIR]
                   TorchInterchange compare --a cnnc.predictions --b torch.predictions [--require 0.999] [--data DIR]

              import-compare  load a safetensors file exported from PyTorch (state_dict names conv1.weight, ...)
                              into FashionLeNetInference, classify the test images and compare with
                              PyTorch's predictions file; exit status 1 if the agreement is below --require
              train-export    train FashionLeNetModel (SGD lr 0.01, momentum 0.9, batch 64), export its
                              parameters as safetensors and write cnnc's predictions on the test images
              compare         compare two predictions files of the same test images (e.g. cnnc's and
                              PyTorch's on cnnc's exported weights); --data adds each side's accuracy
              --data          Fashion-MNIST IDX directory (default /usr/share/datasets/fashion-mnist)
            """;

    private TorchInterchange() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args) throws IOException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        switch (command) {
            case "import-compare": {
                Map<String, String> options = options(args, Set.of("weights", "predictions", "out", "require", "data"));
                return importCompare(file(options, "weights"), Path.of(required(options, "predictions")),
                        options.containsKey("out") ? Path.of(options.get("out")) : null,
                        fraction(options.getOrDefault("require", "0")), dataDirectory(options));
            }
            case "train-export": {
                Map<String, String> options = options(args, Set.of("weights", "predictions", "epochs", "seed", "threads",
                        "data"));
                return trainExport(file(options, "weights"), Path.of(required(options, "predictions")),
                        number(options, "epochs", 2), number(options, "seed", 42),
                        number(options, "threads", Runtime.getRuntime().availableProcessors()), dataDirectory(options));
            }
            case "compare": {
                Map<String, String> options = options(args, Set.of("a", "b", "require", "data"));
                Path fileA = Path.of(required(options, "a"));
                Path fileB = Path.of(required(options, "b"));
                double require = fraction(options.getOrDefault("require", "0"));
                File data = options.containsKey("data") ? dataDirectory(options) : null;
                Predictions a = Predictions.read(fileA);
                Predictions b = Predictions.read(fileB);
                int[] labels = data == null ? null : IdxReader.readSplit(data, "t10k", ClassNames.fashionMnist()).labels();
                return report(PredictionComparison.compare(side(a), a, side(b), b, labels), require);
            }
            default:
                throw new UsageException("unknown command '" + command + "'");
        }
    }

    /** PyTorch -> cnnc: load PyTorch's weights, classify, compare with PyTorch's predictions. */
    static int importCompare(File weights, Path torchPredictions, Path out, double require, File data)
            throws IOException {
        LabeledImages test = IdxReader.readSplit(data, "t10k", ClassNames.fashionMnist());
        Predictions torch = Predictions.read(torchPredictions);
        FashionLeNetModel model = new FashionLeNetModel();
        Safetensors.read(model, weights); // strict: exactly FashionLeNet's tensors, names and shapes
        FashionLeNetInference inference = new FashionLeNetInference(model.parameters());
        Predictions cnnc = predict(inference, test, "cnnc FashionLeNetInference import " + weights.getName());
        if (out != null) {
            cnnc.write(out);
        }
        System.out.println("cnnc loaded " + weights + " into FashionLeNetInference and classified "
                + String.format(Locale.ROOT, "%,d", test.count()) + " test images");
        return report(PredictionComparison.compare("cnnc", cnnc, "PyTorch", torch, test.labels()), require);
    }

    /** cnnc -> PyTorch: train, export the parameters and cnnc's predictions for the Python side. */
    static int trainExport(File weights, Path predictions, int epochs, long seed, int threads, File data)
            throws IOException {
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
                .progress(System.out)
                .build()
                .fit(train.toDataset());
        Safetensors.write(model, weights);
        Predictions cnnc = predict(model.toInference(), test,
                "cnnc FashionLeNetModel train-export seed " + seed + " epochs " + epochs);
        cnnc.write(predictions);
        System.out.printf(Locale.ROOT, "test accuracy %.2f%%; wrote %s (%,d parameters) and %s (%,d predictions)%n",
                100 * Evaluation.of(model, testSet).accuracy(), weights, model.parameterCount(), predictions,
                cnnc.count());
        return 0;
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

    private static int report(PredictionComparison comparison, double require) {
        System.out.print(comparison.format(ClassNames.fashionMnist()));
        if (comparison.agreement() < require) {
            System.err.printf(Locale.ROOT, "error: agreement %s is below the required %s%%%n", comparison.agreementText(),
                    BigDecimal.valueOf(require).movePointRight(2).stripTrailingZeros().toPlainString());
            return 1;
        }
        return 0;
    }

    // ---- options ----------------------------------------------------------------------------------

    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    /** {@code --name value} pairs after the command; unknown or repeated names are usage errors. */
    static Map<String, String> options(String[] args, Set<String> known) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !known.contains(name)) {
                throw new UsageException("unknown option '" + args[i] + "' for " + args[0]);
            }
            if (i + 1 >= args.length) {
                throw new UsageException(args[i] + " needs a value");
            }
            if (options.put(name, args[i + 1]) != null) {
                throw new UsageException(args[i] + " given twice");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    private static File file(Map<String, String> options, String name) {
        return new File(required(options, name));
    }

    private static File dataDirectory(Map<String, String> options) {
        File directory = new File(options.getOrDefault("data", DEFAULT_DATA));
        if (!directory.isDirectory()) {
            throw new UsageException("--data " + directory + " is not a directory (Fashion-MNIST IDX files expected)");
        }
        return directory;
    }

    private static int number(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        try {
            int number = value == null ? fallback : Integer.parseInt(value);
            if (number < 0 || (number == 0 && !name.equals("seed"))) {
                throw new UsageException("--" + name + " must be positive, was " + number);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " '" + value + "' is not an integer");
        }
    }

    private static double fraction(String value) {
        try {
            double fraction = Double.parseDouble(value);
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new UsageException("--require " + value + " must be a fraction between 0 and 1, e.g. 0.999");
            }
            return fraction;
        } catch (NumberFormatException e) {
            throw new UsageException("--require '" + value + "' is not a number");
        }
    }
}
