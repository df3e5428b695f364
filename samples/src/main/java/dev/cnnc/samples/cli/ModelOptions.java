package dev.cnnc.samples.cli;

import java.io.File;
import picocli.CommandLine.Option;

/**
 * Which network and data set, and where a run's files live. Every file a command reads or writes
 * is named after the network inside the output directory, so {@code train} and then
 * {@code evaluate}/{@code predict} with the same options find each other's files:
 * <pre>
 * OUT/NETWORK.weights              the trained parameters (cnnc weights file)
 * OUT/NETWORK.normalization        the training set's per-channel mean and std
 * OUT/NETWORK-report.html          the training report
 * OUT/NETWORK-test-images/*.png    a few test images, to try predict on
 * </pre>
 */
public final class ModelOptions {
    /** Where outputs go unless {@code --out} says otherwise, relative to the working directory. */
    public static final String DEFAULT_OUT = "target/cnnc-run";

    @Option(names = "--dataset", paramLabel = "NAME", converter = ChoiceConverters.DataSet.class,
        description = "fashion-mnist or cifar10 (default: the network's data set, else fashion-mnist)")
    DataSetChoice dataSet;

    @Option(names = "--network", paramLabel = "NAME", converter = ChoiceConverters.Network.class,
        description = "fashion-lenet, fashion-cnn3, cifar-lenet or cifar-cnn3 (default: the data set's LeNet-5)")
    NetworkChoice network;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = DEFAULT_OUT,
        description = "directory of the run's files (default: ${DEFAULT-VALUE})")
    File out;

    @Option(names = "--weights", paramLabel = "FILE",
        description = "weights file (default: OUT/NETWORK.weights); its normalization is read from beside it")
    File weights;

    /** The network: as named, else the data set's LeNet-5; fails if it does not take the data set's images. */
    NetworkChoice network() {
        if (network == null) {
            return NetworkChoice.defaultFor(dataSet == null ? DataSetChoice.FASHION_MNIST : dataSet);
        }
        if (dataSet != null && network.dataSet() != dataSet) {
            throw new CommandFailure("--network " + network.cliName() + " takes " + network.dataSet().title()
                + " images, not " + dataSet.title() + "; drop --dataset or pick a " + dataSet.cliName() + " network");
        }
        return network;
    }

    DataSetChoice dataSet() {
        return network().dataSet();
    }

    File weightsFile() {
        return weights != null ? weights : new File(out, network().cliName() + ".weights");
    }

    /** Beside the weights file: {@code X.weights} has {@code X.normalization}. */
    File normalizationFile() {
        File weightsFile = weightsFile();
        String name = weightsFile.getName();
        String stem = name.endsWith(".weights") ? name.substring(0, name.length() - ".weights".length()) : name;
        File directory = weightsFile.getParentFile();
        return directory == null ? new File(stem + ".normalization") : new File(directory, stem + ".normalization");
    }

    File reportFile() {
        return new File(out, network().cliName() + "-report.html");
    }

    File testImagesDirectory() {
        return new File(out, network().cliName() + "-test-images");
    }
}
