package dev.cnnc.samples.cli;

import dev.cnnc.runtime.Evaluation;
import dev.cnnc.runtime.History;
import dev.cnnc.runtime.ParameterTensor;
import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.data.LabeledImages;
import dev.cnnc.samples.report.HtmlReport;
import dev.cnnc.samples.report.MisclassifiedImage;
import java.util.Arrays;
import java.util.Locale;

/** Fills the samples' {@link HtmlReport} from a finished training run. */
final class ReportBuilder {
    /** Misclassified test images shown in the gallery. */
    static final int GALLERY_SIZE = 24;

    private ReportBuilder() {
    }

    /**
     * @param settings one line describing the data and training settings
     * @param rawTest  the test images as read (in [0, 1]), for the gallery
     * @param test     the same images normalized, as the model takes them
     */
    static HtmlReport build(NetworkChoice network, TrainableModel model, String settings, History history,
                            Evaluation evaluation, LabeledImages rawTest, LabeledImages test) {
        double seconds = 0;
        for (int e = 0; e < history.epochs(); e++) {
            seconds += history.seconds(e);
        }
        double[] trainLoss = new double[history.epochs()];
        double[] trainAccuracy = new double[history.epochs()];
        double[] validationLoss = new double[history.epochs()];
        double[] validationAccuracy = new double[history.epochs()];
        for (int e = 0; e < history.epochs(); e++) {
            trainLoss[e] = history.trainLoss(e);
            trainAccuracy[e] = history.trainAccuracy(e);
            validationLoss[e] = history.validationLoss(e);
            validationAccuracy[e] = history.validationAccuracy(e);
        }
        HtmlReport report = new HtmlReport(model.name() + " on " + network.dataSet().title())
            .subtitle(settings)
            .fact("Test accuracy", String.format(Locale.ROOT, "%.2f%%", 100 * evaluation.accuracy()))
            .fact("Parameters", String.format(Locale.ROOT, "%,d", model.parameterCount()))
            .fact("Epochs", Integer.toString(history.epochs()))
            .fact("Training time", String.format(Locale.ROOT, "%.1f s", seconds))
            .fact("Per epoch", String.format(Locale.ROOT, "%.1f s", history.epochs() == 0 ? 0 : seconds / history.epochs()))
            .curves(trainLoss, validationLoss, trainAccuracy, validationAccuracy)
            .confusion(evaluation.confusionMatrix(), rawTest.classNames())
            .modelSummary(model.summary());
        addFirstConvolution(report, model);
        Predictor predictor = new Predictor(model);
        int[] wrong = evaluation.misclassified();
        for (int i = 0; i < Math.min(GALLERY_SIZE, wrong.length); i++) {
            int index = wrong[i];
            float[] probabilities = predictor.probabilities(test.images(), test.imageOffset(index));
            int predicted = Predictor.argMax(probabilities);
            report.addMisclassified(new MisclassifiedImage(rawTest.image(index), rawTest.channels(), rawTest.height(),
                rawTest.width(), rawTest.label(index), predicted, probabilities[predicted]));
        }
        return report;
    }

    /** The first tensor of a cnnc model is the first layer's weight; shown when that layer is a convolution. */
    private static void addFirstConvolution(HtmlReport report, TrainableModel model) {
        ParameterTensor first = model.tensors()[0];
        int[] shape = first.shape();
        if (shape.length != 4 || shape[2] != shape[3]) {
            return;
        }
        float[] weights = Arrays.copyOfRange(model.parameters(), first.offset(), first.offset() + first.length());
        String layer = first.name().endsWith(".weight")
            ? first.name().substring(0, first.name().length() - ".weight".length()) : first.name();
        report.filters(layer, weights, shape[0], shape[1], shape[2]);
    }
}
