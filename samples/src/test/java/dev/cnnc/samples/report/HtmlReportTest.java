package dev.cnnc.samples.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class HtmlReportTest {
    @TempDir
    File dir;

    /** Parses the page as XML: it fails on any unclosed tag, bad nesting or unknown entity. */
    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    private static Element section(Document document, String id) {
        NodeList sections = document.getElementsByTagName("section");
        for (int i = 0; i < sections.getLength(); i++) {
            Element section = (Element) sections.item(i);
            if (id.equals(section.getAttribute("id"))) {
                return section;
            }
        }
        throw new AssertionError("no <section id=\"" + id + "\">");
    }

    private static List<Element> elements(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    private static BufferedImage decodeDataUri(String uri) throws Exception {
        String prefix = "data:image/png;base64,";
        assertTrue(uri.startsWith(prefix), "image source is not an inline PNG: " + uri.substring(0, 40));
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(prefix.length()))));
    }

    @Test
    void theFourSectionsComeInOrderWithTheirIds() throws Exception {
        Document document = parse(ReportDemo.build(true).toHtml());

        List<String> ids = new ArrayList<>();
        for (Element section : elements(document.getDocumentElement(), "section")) {
            ids.add(section.getAttribute("id"));
        }
        assertEquals(List.of("curves", "confusion", "filters", "misclassified", "model"), ids);
        assertEquals("CifarLeNet on CIFAR-10", document.getElementsByTagName("title").item(0).getTextContent());
    }

    @Test
    void curvesAreTwoSvgChartsWithOnePointPerEpochAndSeries() throws Exception {
        Element curves = section(parse(ReportDemo.build(false).toHtml()), "curves");

        List<Element> charts = elements(curves, "svg");
        assertEquals(2, charts.size());
        for (Element chart : charts) {
            assertEquals("http://www.w3.org/2000/svg", chart.getAttribute("xmlns"));
            assertEquals(2, elements(chart, "path").size(), "train and validation lines");
            // 12 epochs x 2 series data points + 2 legend markers
            assertEquals(2 * ReportDemo.EPOCHS + 2, elements(chart, "circle").size());
            String firstPath = elements(chart, "path").get(0).getAttribute("d");
            assertEquals(ReportDemo.EPOCHS - 1, firstPath.split(" L").length - 1, "segments of " + firstPath);
        }
        String text = curves.getTextContent();
        assertTrue(text.contains("12 epochs"), text);
        assertTrue(text.contains("train") && text.contains("validation") && text.contains("accuracy (%)"), text);
    }

    @Test
    void confusionMatrixHasOneShadedCellPerClassPairAndTheClassNames() throws Exception {
        Element confusion = section(parse(ReportDemo.build(false).toHtml()), "confusion");

        int shaded = 0;
        for (Element cell : elements(confusion, "td")) {
            shaded += cell.getAttribute("style").startsWith("background:#") ? 1 : 0;
        }
        assertEquals(100, shaded);
        List<String> headers = new ArrayList<>();
        for (Element header : elements(confusion, "th")) {
            if (header.getAttribute("class").equals("predicted")) {
                headers.add(header.getTextContent());
            }
        }
        assertEquals(List.of(ReportDemo.FASHION_CLASSES), headers);
        int[][] matrix = ReportDemo.confusion(false);
        Element firstCell = elements(confusion, "td").get(0);
        assertEquals(Integer.toString(matrix[0][0]), firstCell.getTextContent());
    }

    @Test
    void filtersAreInlinePngsUpscaledFromTheKernel() throws Exception {
        Element rgbFilters = section(parse(ReportDemo.build(true).toHtml()), "filters");
        Element greyFilters = section(parse(ReportDemo.build(false).toHtml()), "filters");

        List<Element> rgbImages = elements(rgbFilters, "img");
        assertEquals(6, rgbImages.size());
        BufferedImage first = decodeDataUri(rgbImages.get(0).getAttribute("src"));
        assertEquals(80, first.getWidth(), "5 pixels x scale 16");
        assertEquals(80, first.getHeight());
        assertEquals(3, first.getColorModel().getNumColorComponents());
        assertEquals(8, elements(greyFilters, "img").size());
        assertEquals(1, decodeDataUri(elements(greyFilters, "img").get(0).getAttribute("src"))
            .getColorModel().getNumColorComponents());
    }

    @Test
    void filterTileShowsTheWeightsScaledToTheirRange() throws Exception {
        float[] weights = {-1, 0, 0, 1}; // one 2x2 grey filter
        Element filters = section(parse(new HtmlReport("t").filters("conv1", weights, 1, 1, 2).toHtml()), "filters");

        BufferedImage tile = decodeDataUri(elements(filters, "img").get(0).getAttribute("src"));

        assertEquals(80, tile.getWidth());
        assertEquals(0, tile.getRaster().getSample(0, 0, 0), "most negative weight is black");
        assertEquals(128, tile.getRaster().getSample(79, 0, 0), "zero is mid grey");
        assertEquals(255, tile.getRaster().getSample(79, 79, 0), "most positive weight is white");
    }

    @Test
    void misclassifiedGalleryLabelsEachImageWithTrueAndPredictedNames() throws Exception {
        Element gallery = section(parse(ReportDemo.build(false).toHtml()), "misclassified");

        List<Element> figures = elements(gallery, "figure");
        assertEquals(16, figures.size());
        Element second = figures.get(1);
        // image 1: true label 3 (Dress), predicted (3 + 1 + 1) % 10 = 5 (Sandal), confidence 0.48
        assertEquals("Dress\u2192 Sandal 48%", second.getTextContent());
        BufferedImage picture = decodeDataUri(elements(second, "img").get(0).getAttribute("src"));
        assertEquals(84, picture.getWidth(), "28 pixels x scale 3");
        assertTrue(gallery.getTextContent().contains(String.format("16 of %,d misclassified", wrongCount(ReportDemo.confusion(false)))),
            gallery.getTextContent());
    }

    private static long wrongCount(int[][] matrix) {
        long wrong = 0;
        for (int t = 0; t < matrix.length; t++) {
            for (int p = 0; p < matrix.length; p++) {
                wrong += t == p ? 0 : matrix[t][p];
            }
        }
        return wrong;
    }

    @Test
    void theOnlyAddressIsTheSvgNamespaceAndNothingIsLoadedFromOutside() {
        String html = ReportDemo.build(true).toHtml();

        Matcher addresses = Pattern.compile("https?://[^\"'\\s<>)]*").matcher(html);
        TreeSet<String> found = new TreeSet<>();
        while (addresses.find()) {
            found.add(addresses.group());
        }
        assertEquals(new TreeSet<>(List.of("http://www.w3.org/2000/svg")), found);
        assertTrue(!html.contains("<script") && !html.contains("<link") && !html.contains("@import")
            && !html.contains("url("), "external resources in the page");
        Matcher sources = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        while (sources.find()) {
            assertTrue(sources.group(1).startsWith("data:image/png;base64,"), sources.group(1));
        }
    }

    @Test
    void emptyReportStillHasEverySection() throws Exception {
        Document document = parse(new HtmlReport("nothing yet").toHtml());

        for (String id : List.of("curves", "confusion", "filters", "misclassified")) {
            Element section = section(document, id);
            assertEquals(1, elements(section, "p").size(), id);
            assertEquals("empty", elements(section, "p").get(0).getAttribute("class"), id);
        }
    }

    @Test
    void namesAreEscaped() throws Exception {
        String[] names = {"<b>cat</b>", "R&D \"dog\""};
        HtmlReport report = new HtmlReport("a < b & c").confusion(new int[][] {{3, 1}, {0, 4}}, names)
            .fact("x>y", "'quoted'");

        Document document = parse(report.toHtml());

        assertEquals("a < b & c", document.getElementsByTagName("title").item(0).getTextContent());
        assertTrue(section(document, "confusion").getTextContent().contains("<b>cat</b>"));
    }

    @Test
    void writeReplacesTheFileWithoutLeavingTemporaries() throws Exception {
        File file = new File(dir, "report.html");
        Files.writeString(file.toPath(), "old");
        HtmlReport report = ReportDemo.build(false);

        report.write(file);

        assertEquals(report.toHtml(), Files.readString(file.toPath()));
        assertArrayEquals(new String[] {"report.html"}, dir.list());
    }

    @Test
    void badInputIsRejectedWithTheSizes() {
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
            () -> new HtmlReport("t").confusion(new int[][] {{1, 0}, {0, 1}}, new String[] {"a"}));
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class,
            () -> new HtmlReport("t").filters("conv1", new float[10], 6, 3, 5));

        assertEquals("1 class names for a 2x2 confusion matrix", names.getMessage());
        assertEquals("10 weights are fewer than 6 filters of 3x5x5", weights.getMessage());
    }

    @Test
    void chartStepsAreNiceNumbers() {
        assertEquals(0.5, SvgLineChart.niceStep(0.31));
        assertEquals(2.5, SvgLineChart.niceStep(2.2));
        assertEquals(10, SvgLineChart.niceStep(7));
        assertEquals(0.02, SvgLineChart.niceStep(0.0134), 1e-12);
    }
}
