package dev.cnnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Evaluation numbers on a prediction set worked out by hand, and on a model. */
class EvaluationTest extends RuntimeTestBase {
    //                                   0  1  2  3  4  5  6  7
    private static final int[] LABELS = {0, 0, 0, 0, 1, 1, 2, 2};
    private static final int[] PREDICTED = {0, 0, 0, 1, 1, 1, 2, 0};
    private static final String[] NAMES = {"cat", "dog", "bird", "fish"};

    private final Evaluation evaluation = Evaluation.fromPredictions(LABELS, PREDICTED, 4, NAMES);

    @Test
    void confusionMatrixRowsAreTheTrueClass() {
        assertArrayEquals(new int[][] {{3, 1, 0, 0}, {0, 2, 0, 0}, {1, 0, 1, 0}, {0, 0, 0, 0}},
                evaluation.confusionMatrix());
    }

    @Test
    void accuracyPrecisionRecallAndF1AreExact() {
        assertEquals(0.75, evaluation.accuracy()); // 6 of 8
        assertEquals(6, evaluation.correct());
        // cat: predicted 4 times, 3 right; 4 cats, 3 found
        assertEquals(0.75, evaluation.precision(0));
        assertEquals(0.75, evaluation.recall(0));
        assertEquals(0.75, evaluation.f1(0));
        // dog: predicted 3 times, 2 right; 2 dogs, both found; f1 = 2 * 2/3 * 1 / (5/3) = 0.8
        assertEquals(2.0 / 3, evaluation.precision(1));
        assertEquals(1.0, evaluation.recall(1));
        assertEquals(0.8, evaluation.f1(1), 1e-15);
        // bird: predicted once, right; 2 birds, 1 found; f1 = 2 * 1 * 0.5 / 1.5 = 2/3
        assertEquals(1.0, evaluation.precision(2));
        assertEquals(0.5, evaluation.recall(2));
        assertEquals(2.0 / 3, evaluation.f1(2), 1e-15);
        // fish: never seen, never predicted: 0 by convention
        assertEquals(0.0, evaluation.precision(3));
        assertEquals(0.0, evaluation.recall(3));
        assertEquals(0.0, evaluation.f1(3));
        assertEquals(4, evaluation.support(0));
        assertEquals(0, evaluation.support(3));
        assertEquals(Double.NaN, evaluation.loss());
    }

    @Test
    void misclassifiedSamplesAreListedInOrder() {
        assertArrayEquals(new int[] {3, 7}, evaluation.misclassified());
        assertArrayEquals(PREDICTED, evaluation.predictions());
    }

    @Test
    void formatIsAnAlignedTable() {
        assertEquals(String.join("\n",
                "accuracy 0.7500 (6/8)",
                "",
                "class  precision     recall         f1    support",
                "cat       0.7500     0.7500     0.7500          4",
                "dog       0.6667     1.0000     0.8000          2",
                "bird      1.0000     0.5000     0.6667          2",
                "fish      0.0000     0.0000     0.0000          0",
                "",
                "confusion matrix (rows: true class, columns: predicted class)",
                "        cat   dog  bird  fish",
                "cat       3     1     0     0",
                "dog       0     2     0     0",
                "bird      1     0     1     0",
                "fish      0     0     0     0",
                ""), evaluation.format().replace(System.lineSeparator(), "\n"));
        assertEquals(evaluation.format(), evaluation.toString());
    }

    @Test
    void modelEvaluationIsTheSameOnAnyThreadCountAndMatchesASingleForwardLoop() {
        SoftmaxRegressionModel model = new SoftmaxRegressionModel(5, 3);
        Init.HE_UNIFORM.apply(model, SEED);
        Dataset data = blobs(150, 5, 3, 30);
        Evaluation one = Evaluation.of(model, data, 1);
        Evaluation four = Evaluation.of(model, data, 4);
        assertArrayEquals(one.predictions(), four.predictions());
        assertEquals(Double.doubleToLongBits(one.loss()), Double.doubleToLongBits(four.loss()));

        Workspace workspace = model.newWorkspace();
        float[] output = new float[3];
        double lossSum = 0;
        int correct = 0;
        for (int i = 0; i < data.count(); i++) {
            model.forward(workspace, data.images(), data.imageOffset(i), output, 0);
            lossSum += (float) -Math.log(output[data.labels()[i]]);
            correct += Losses.argmax(output, 0, 3) == data.labels()[i] ? 1 : 0;
        }
        assertEquals(lossSum / data.count(), one.loss(), 1e-6);
        assertEquals((double) correct / data.count(), one.accuracy());
    }

    @Test
    void logitsModelsUseSoftmaxCrossEntropy() {
        TanhMlpModel model = new TanhMlpModel(5, 4, 3);
        Init.GLOROT_UNIFORM.apply(model, SEED);
        Dataset data = blobs(10, 5, 3, 31);
        float[] grad = new float[model.parameterCount()];
        double expected = 0;
        for (int i = 0; i < data.count(); i++) {
            expected += model.gradient(model.newWorkspace(), data.images(), data.imageOffset(i), data.labels()[i], grad);
        }
        assertEquals(expected / data.count(), Evaluation.of(model, data, 2).loss(), 1e-6);
    }

    @Test
    void inconsistentPredictionsAreRefused() {
        assertEquals("8 labels but 2 predictions", assertThrows(IllegalArgumentException.class,
                () -> Evaluation.fromPredictions(LABELS, new int[2], 4, null)).getMessage());
        assertEquals("sample 1: label 0, prediction 5, expected both in [0, 4)",
                assertThrows(IllegalArgumentException.class,
                        () -> Evaluation.fromPredictions(new int[2], new int[] {0, 5}, 4, null)).getMessage());
    }
}
