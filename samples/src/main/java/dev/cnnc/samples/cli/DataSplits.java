package dev.cnnc.samples.cli;

import dev.cnnc.runtime.data.LabeledImages;
import dev.cnnc.runtime.data.Normalization;
import java.io.File;
import java.io.IOException;

/**
 * The data of one training run: the training images split into train and validation, the test
 * images, all standardized with the mean and std of the train part, plus the test images as read
 * (in [0, 1]) for pictures in the report and PNG files.
 */
final class DataSplits {
    final LabeledImages train;
    final LabeledImages validation;
    final LabeledImages test;
    final LabeledImages rawTest;
    final Normalization normalization;

    private DataSplits(LabeledImages train, LabeledImages validation, LabeledImages test, LabeledImages rawTest,
                       Normalization normalization) {
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.rawTest = rawTest;
        this.normalization = normalization;
    }

    /**
     * Reads both splits of {@code dataSet} from {@code directory}. The last {@code validationWanted}
     * training images (at most a tenth of them) become the validation set.
     *
     * @param limit if not null, only the first {@code limit} images of each split are used
     */
    static DataSplits read(DataSetChoice dataSet, File directory, Integer limit, int validationWanted)
        throws IOException {
        LabeledImages all = readSplit(dataSet, directory, true, limit);
        LabeledImages test = readSplit(dataSet, directory, false, limit);
        int validationCount = Math.min(validationWanted, all.count() / 10);
        LabeledImages train = validationCount == 0 ? all : all.subset(0, all.count() - validationCount);
        LabeledImages validation = validationCount == 0 ? null : all.subset(all.count() - validationCount, all.count());
        LabeledImages rawTest = test.subset(0, test.count());
        Normalization normalization = Normalization.fit(train);
        normalization.apply(train);
        if (validation != null) {
            normalization.apply(validation);
        }
        normalization.apply(test);
        return new DataSplits(train, validation, test, rawTest, normalization);
    }

    /** One split (training or test), cut to {@code limit} images if given; fails clearly on an empty file. */
    static LabeledImages readSplit(DataSetChoice dataSet, File directory, boolean training, Integer limit)
        throws IOException {
        LabeledImages images = dataSet.read(directory, training);
        if (images.count() == 0) {
            throw new CommandFailure(directory.getPath() + ": the " + (training ? "training" : "test") + " split of "
                + dataSet.title() + " holds no images");
        }
        return limit == null || limit >= images.count() ? images : images.subset(0, limit);
    }
}
