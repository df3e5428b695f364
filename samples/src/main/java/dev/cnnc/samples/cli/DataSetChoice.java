package dev.cnnc.samples.cli;

import dev.cnnc.runtime.data.Cifar10Reader;
import dev.cnnc.runtime.data.ClassNames;
import dev.cnnc.runtime.data.IdxReader;
import dev.cnnc.runtime.data.LabeledImages;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;

/** The data sets the command line reads: where they usually are, how they are read, where to get them. */
public enum DataSetChoice {
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST", 1, 28, 28, "/usr/share/datasets/fashion-mnist",
        "install Debian's package (apt-get install dataset-fashion-mnist) or download the four .gz files from "
            + "https://github.com/zalandoresearch/fashion-mnist#get-the-data into a directory and pass --data DIR") {
        @Override
        LabeledImages read(File directory, boolean training) throws IOException {
            return IdxReader.readSplit(directory, training ? "train" : "t10k", classNames());
        }

        @Override
        boolean looksPresent(File directory) {
            return hasIdxStart(directory, "train-images") || hasIdxStart(directory, "t10k-images");
        }

        @Override
        String[] classNames() {
            return ClassNames.fashionMnist();
        }
    },
    CIFAR10("cifar10", "CIFAR-10", 3, 32, 32, null,
        "download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, extract it "
            + "(tar xzf cifar-10-binary.tar.gz) and pass --data cifar-10-batches-bin") {
        @Override
        LabeledImages read(File directory, boolean training) throws IOException {
            return training ? Cifar10Reader.readTrainingSet(directory) : Cifar10Reader.readTestSet(directory);
        }

        @Override
        boolean looksPresent(File directory) {
            try {
                Cifar10Reader.resolveDirectory(directory);
                return true;
            } catch (FileNotFoundException e) {
                return false;
            }
        }

        @Override
        String[] classNames() {
            return ClassNames.cifar10();
        }
    };

    private final String cliName;
    private final String title;
    private final int channels;
    private final int height;
    private final int width;
    private final String defaultDirectory;
    private final String howToGet;

    DataSetChoice(String cliName, String title, int channels, int height, int width, String defaultDirectory,
                  String howToGet) {
        this.cliName = cliName;
        this.title = title;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.defaultDirectory = defaultDirectory;
        this.howToGet = howToGet;
    }

    /** Reads the training split ({@code training}) or the test split from {@code directory}. */
    abstract LabeledImages read(File directory, boolean training) throws IOException;

    /** Whether {@code directory} seems to hold this data set (the readers check the files themselves). */
    abstract boolean looksPresent(File directory);

    /** The built-in class names, in label order. */
    abstract String[] classNames();

    /** The name on the command line, e.g. {@code fashion-mnist}. */
    public String cliName() {
        return cliName;
    }

    /** The usual name, e.g. {@code Fashion-MNIST}. */
    public String title() {
        return title;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /**
     * The directory to read: {@code data} if given, else the system default. Fails with a message
     * naming the directory and how to get the data when the files are not there, before anything
     * is trained or written.
     */
    File resolveDirectory(File data) {
        if (data == null && defaultDirectory == null) {
            throw new CommandFailure("--data DIR is required for " + cliName + ": " + howToGet);
        }
        File directory = data != null ? data : new File(defaultDirectory);
        if (!directory.isDirectory()) {
            throw new CommandFailure(directory.getPath() + ": no such directory"
                + (data == null ? " (the default place of " + title + ")" : "") + "; " + howToGet);
        }
        if (!looksPresent(directory)) {
            throw new CommandFailure(directory.getPath() + ": no " + title + " files in this directory; " + howToGet);
        }
        return directory;
    }

    static DataSetChoice byCliName(String name) {
        for (DataSetChoice choice : values()) {
            if (choice.cliName.equalsIgnoreCase(name)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("unknown data set '" + name + "'; choose one of " + cliNames());
    }

    static String cliNames() {
        StringBuilder names = new StringBuilder();
        for (DataSetChoice choice : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(choice.cliName);
        }
        return names.toString();
    }

    private static boolean hasIdxStart(File directory, String stem) {
        String[] names = directory.list();
        if (names == null) {
            return false;
        }
        for (String name : names) {
            if (name.startsWith(stem)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
