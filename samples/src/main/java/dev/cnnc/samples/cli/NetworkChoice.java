package dev.cnnc.samples.cli;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.samples.CifarCnn3Model;
import dev.cnnc.samples.CifarLeNetModel;
import dev.cnnc.samples.FashionCnn3Model;
import dev.cnnc.samples.FashionLeNetModel;
import java.util.function.Supplier;

/** The trainable networks of the samples, by the name users type, each with the data set it fits. */
public enum NetworkChoice {
    FASHION_LENET("fashion-lenet", DataSetChoice.FASHION_MNIST, FashionLeNetModel::new,
        "LeNet-5 for 28x28 grey images (the PyTorch peer's network)"),
    FASHION_CNN3("fashion-cnn3", DataSetChoice.FASHION_MNIST, FashionCnn3Model::new,
        "three 3x3 conv blocks (16, 32, 64 filters) for 28x28 grey images"),
    CIFAR_LENET("cifar-lenet", DataSetChoice.CIFAR10, CifarLeNetModel::new,
        "the lecture's LeNet-5 for 32x32 RGB images (62,006 parameters)"),
    CIFAR_CNN3("cifar-cnn3", DataSetChoice.CIFAR10, CifarCnn3Model::new,
        "three 3x3 conv blocks (32, 64, 128 filters) for 32x32 RGB images");

    private final String cliName;
    private final DataSetChoice dataSet;
    private final Supplier<TrainableModel> factory;
    private final String description;

    NetworkChoice(String cliName, DataSetChoice dataSet, Supplier<TrainableModel> factory, String description) {
        this.cliName = cliName;
        this.dataSet = dataSet;
        this.factory = factory;
        this.description = description;
    }

    /** A new, uninitialized model of this network. */
    public TrainableModel newModel() {
        return factory.get();
    }

    public String cliName() {
        return cliName;
    }

    /** The data set whose images this network takes. */
    public DataSetChoice dataSet() {
        return dataSet;
    }

    public String description() {
        return description;
    }

    /** The LeNet-5 of {@code dataSet}: what the main job trains when no network is named. */
    static NetworkChoice defaultFor(DataSetChoice dataSet) {
        return dataSet == DataSetChoice.CIFAR10 ? CIFAR_LENET : FASHION_LENET;
    }

    static NetworkChoice byCliName(String name) {
        for (NetworkChoice choice : values()) {
            if (choice.cliName.equalsIgnoreCase(name)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("unknown network '" + name + "'; choose one of " + cliNames());
    }

    static String cliNames() {
        StringBuilder names = new StringBuilder();
        for (NetworkChoice choice : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(choice.cliName);
        }
        return names.toString();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
