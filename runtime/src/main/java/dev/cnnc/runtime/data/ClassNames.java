package dev.cnnc.runtime.data;

/**
 * Class names of the data sets the readers know, in label order. Each method returns a new array,
 * so callers may keep or change it.
 */
public final class ClassNames {
    private ClassNames() {
    }

    /** Fashion-MNIST (Zalando): label 0 is "T-shirt/top", 9 is "Ankle boot". */
    public static String[] fashionMnist() {
        return new String[] {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
    }

    /** MNIST handwritten digits: "0" to "9". */
    public static String[] mnist() {
        return numbered(10);
    }

    /** CIFAR-10, as listed in its {@code batches.meta.txt}. */
    public static String[] cifar10() {
        return new String[] {"airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck"};
    }

    /** {@code "0"}, {@code "1"}, ... {@code count - 1}: names for data sets that have none. */
    public static String[] numbered(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = Integer.toString(i);
        }
        return names;
    }
}
