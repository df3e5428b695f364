package dev.cnnc.samples.cli;

import dev.cnnc.samples.interchange.PredictionComparison;
import dev.cnnc.samples.interchange.TorchInterchange;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cnnc torch}: the cnnc side of the weight interchange with PyTorch (FashionLeNet as a
 * safetensors file, predictions on the 10,000 Fashion-MNIST test images compared).
 * {@code samples/scripts/round-trip.sh} runs both directions; see {@code docs/INTERCHANGE.md}.
 */
@Command(name = "torch", mixinStandardHelpOptions = true,
    description = {"Move FashionLeNet's weights between PyTorch and cnnc (safetensors) and compare both sides'"
        + " predictions on the Fashion-MNIST test images (docs/INTERCHANGE.md)."},
    subcommands = {TorchCommand.ImportCompare.class, TorchCommand.TrainExport.class, TorchCommand.Compare.class})
final class TorchCommand implements Callable<Integer> {
    @ParentCommand
    CnncCommand parent;

    @Override
    public Integer call() {
        throw new CommandFailure("cnnc torch needs a command: import-compare, train-export or compare"
            + " (cnnc torch --help)");
    }

    /** {@code --require}: the least fraction of equal predicted classes. */
    static final class Requirement {
        @Option(names = "--require", paramLabel = "FRACTION", defaultValue = "0",
            description = "fail (exit status 1) if fewer than this fraction of the predicted classes agree,"
                + " e.g. 0.999 (default: ${DEFAULT-VALUE}, report only)")
        double require;

        /** Fails on a --require outside [0, 1] before any work. */
        void check() {
            if (!(require >= 0 && require <= 1)) {
                throw new CommandFailure("--require " + require + " must be a fraction between 0 and 1, e.g. 0.999");
            }
        }

        /** Exit status 0, or a failure naming the agreement when it is below --require. */
        int status(PredictionComparison comparison) {
            if (comparison.agreement() < require) {
                throw new CommandFailure("agreement " + comparison.agreementText() + " is below the required "
                    + BigDecimal.valueOf(require).movePointRight(2).stripTrailingZeros().toPlainString() + "%");
            }
            return 0;
        }
    }

    @Command(name = "import-compare", mixinStandardHelpOptions = true,
        description = "PyTorch -> cnnc: load a safetensors file exported from PyTorch (state_dict names conv1.weight,"
            + " ...) into FashionLeNetInference, classify the test images and compare with PyTorch's predictions.")
    static final class ImportCompare implements Callable<Integer> {
        @Option(names = "--weights", paramLabel = "FILE", required = true, description = "PyTorch's safetensors file")
        File weights;
        @Option(names = "--predictions", paramLabel = "FILE", required = true,
            description = "PyTorch's predictions on the test images")
        Path predictions;
        @Option(names = "--out", paramLabel = "FILE", description = "also write cnnc's predictions here")
        Path out;
        @Mixin
        Requirement requirement;
        @Mixin
        DataOption data;

        @ParentCommand
        TorchCommand torch;

        @Override
        public Integer call() throws IOException {
            requirement.check();
            return requirement.status(TorchInterchange.importCompare(weights, predictions, out,
                DataSetChoice.FASHION_MNIST.resolveDirectory(data.data), torch.parent.out()));
        }
    }

    @Command(name = "train-export", mixinStandardHelpOptions = true,
        description = "cnnc -> PyTorch: train FashionLeNetModel (SGD lr 0.01, momentum 0.9, batch 64, as the PyTorch"
            + " peer), export its parameters as safetensors and write cnnc's predictions on the test images.")
    static final class TrainExport implements Callable<Integer> {
        @Option(names = "--weights", paramLabel = "FILE", required = true, description = "safetensors file to write")
        File weights;
        @Option(names = "--predictions", paramLabel = "FILE", required = true,
            description = "predictions file to write")
        Path predictions;
        @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "default: ${DEFAULT-VALUE}")
        int epochs;
        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
        long seed;
        @Mixin
        ThreadsOption threads;
        @Mixin
        DataOption data;

        @ParentCommand
        TorchCommand torch;

        @Override
        public Integer call() throws IOException {
            if (epochs < 1) {
                throw new CommandFailure("--epochs must be at least 1, was " + epochs);
            }
            TorchInterchange.trainExport(weights, predictions, epochs, seed, threads.threads(),
                DataSetChoice.FASHION_MNIST.resolveDirectory(data.data), torch.parent.out());
            return 0;
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two predictions files of the same test images (e.g. cnnc's and PyTorch's on cnnc's"
            + " exported weights); with --data, also each side's accuracy.")
    static final class Compare implements Callable<Integer> {
        @Option(names = "--a", paramLabel = "FILE", required = true, description = "one side's predictions")
        Path a;
        @Option(names = "--b", paramLabel = "FILE", required = true, description = "the other side's predictions")
        Path b;
        @Mixin
        Requirement requirement;
        @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST directory, to add each side's accuracy on the test labels")
        File data;

        @ParentCommand
        TorchCommand torch;

        @Override
        public Integer call() throws IOException {
            requirement.check();
            return requirement.status(TorchInterchange.compare(a, b,
                data == null ? null : DataSetChoice.FASHION_MNIST.resolveDirectory(data), torch.parent.out()));
        }
    }
}
