package dev.cnnc.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The main job end to end on tiny generated data in the official formats (1 epoch, so it stays
 * fast): train writes weights, normalization, report and test images; evaluate, predict and shift
 * then use those files.
 */
class TrainCommandTest {
    @TempDir
    static File dir;
    static File fashion;
    static File out;
    static CliRun training;

    @BeforeAll
    static void trainOnTinyFashionMnist() throws Exception {
        fashion = TinyDataSets.fashionMnist(new File(dir, "fashion"), 200, 40);
        out = new File(dir, "run");
        training = CliRun.of("train", "--data", fashion.getPath(), "--out", out.getPath(), "--epochs", "2",
            "--validation", "20", "--threads", "2");
    }

    @Test
    void trainingSucceedsAndPrintsTheEvaluationWithConfusionMatrix() {
        assertEquals(0, training.status(), training.transcript());
        assertTrue(training.out().contains("180 train + 20 validation + 40 test images"), training.transcript());
        assertTrue(training.out().contains("Epoch 2/2"), training.transcript());
        assertTrue(training.out().contains("confusion matrix (rows: true class, columns: predicted class)"),
            training.transcript());
        assertTrue(training.out().contains("predictions for the first 5 test images"), training.transcript());
        assertTrue(training.err().isEmpty(), training.transcript());
    }

    @Test
    void trainingWritesWeightsNormalizationReportAndTestImages() throws Exception {
        assertEquals(0, training.status(), training.transcript());
        assertTrue(new File(out, "fashion-lenet.weights").isFile());
        String normalization = Files.readString(new File(out, "fashion-lenet.normalization").toPath());
        assertTrue(normalization.contains("mean="), normalization);
        String[] images = new File(out, "fashion-lenet-test-images").list();
        assertEquals(5, images.length, String.join(", ", images));
        String[] left = out.list((d, name) -> name.endsWith(".tmp"));
        assertEquals(0, left.length, "temporary files left: " + String.join(", ", left));
    }

    @Test
    void theReportHasTheFourPartsFilledFromTheRun() throws Exception {
        assertEquals(0, training.status(), training.transcript());
        String html = Files.readString(new File(out, "fashion-lenet-report.html").toPath(), StandardCharsets.UTF_8);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document page = factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
        List<String> ids = new ArrayList<>();
        NodeList sections = page.getElementsByTagName("section");
        for (int i = 0; i < sections.getLength(); i++) {
            ids.add(((Element) sections.item(i)).getAttribute("id"));
        }
        assertEquals(List.of("curves", "confusion", "filters", "misclassified", "model"), ids);
        assertFalse(html.contains("class=\"empty\""), "a section has no data:\n" + html);
        Element filters = (Element) sections.item(2);
        assertEquals(6, filters.getElementsByTagName("img").getLength(), "conv1 of FashionLeNet has 6 filters");
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "the report must load nothing from the network");
        assertTrue(html.contains("FashionLeNet on Fashion-MNIST"));
    }

    @Test
    void evaluateReadsTheWeightsAndPrintsTheSameTestAccuracy() {
        assertEquals(0, training.status(), training.transcript());
        CliRun evaluation = CliRun.of("evaluate", "--data", fashion.getPath(), "--out", out.getPath());
        assertEquals(0, evaluation.status(), evaluation.transcript());
        String accuracyLine = line(training.out(), "test set: accuracy");
        assertTrue(evaluation.out().contains(accuracyLine.substring("test set: ".length())),
            "train printed " + accuracyLine + "\n" + evaluation.transcript());
    }

    @Test
    void predictClassifiesTheSavedTestImagesAsTrainingDid() {
        assertEquals(0, training.status(), training.transcript());
        File[] images = new File(out, "fashion-lenet-test-images").listFiles();
        java.util.Arrays.sort(images);
        CliRun prediction = CliRun.of("predict", "--out", out.getPath(), "--top", "1", images[0].getPath());
        assertEquals(0, prediction.status(), prediction.transcript());
        // train printed: "  <class>  <p>%  correct|wrong (...)  <png>" for the same file; predict must name the same class.
        String trained = line(training.out(), images[0].getPath());
        String predictedClass = trained.trim().split("\\s{2,}")[0];
        assertTrue(prediction.out().contains(images[0].getPath() + ":  " + predictedClass + " "),
            "train said " + trained + "\n" + prediction.transcript());
    }

    @Test
    void shiftReportsThatTheUnshiftedImagesKeepTheirClass() {
        assertEquals(0, training.status(), training.transcript());
        CliRun shift = CliRun.of("shift", "--data", fashion.getPath(), "--out", out.getPath(), "--count", "20",
            "--max-shift", "2");
        assertEquals(0, shift.status(), shift.transcript());
        String unshifted = line(shift.out(), "   +0   ");
        assertTrue(unshifted.matches("\\s+\\+0\\s+100\\.0%\\s+\\S+%\\s+100\\.0%\\s+\\S+%"), shift.transcript());
        assertEquals(5, shift.out().lines().filter(l -> l.matches("\\s+[+-]\\d+\\s.*")).count(), shift.transcript());
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst()
            .orElseThrow(() -> new AssertionError("no line with \"" + containing + "\" in\n" + text));
    }
}
