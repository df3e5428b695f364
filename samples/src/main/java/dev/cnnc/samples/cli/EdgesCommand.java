package dev.cnnc.samples.cli;

import dev.cnnc.runtime.Workspace;
import dev.cnnc.runtime.data.LabeledImages;
import dev.cnnc.samples.EdgeFiltersModel;
import dev.cnnc.samples.report.ImageFiles;
import java.io.File;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cnnc edges [IMAGE]}: the lecture's first lesson on a real image. The vertical-edge filter
 * (every row {@code 1 0 -1}) and the horizontal-edge filter (rows {@code 1 1 1 / 0 0 0 / -1 -1 -1})
 * are set as the two filters of the generated {@code EdgeFiltersModel} (a 3x3 VALID convolution over
 * 256x256 grey, no activation), and its two output planes are written as PNG: mid grey where the
 * image is flat, bright where it turns darker to the right (or downwards), dark where it turns lighter.
 */
@Command(name = "edges", mixinStandardHelpOptions = true,
    description = {"Detect vertical and horizontal edges in an image with the lecture's two 3x3 filters "
        + "and write the filtered images as PNG.",
        "Without IMAGE: a Fashion-MNIST test image (from --data or the default directory)."})
final class EdgesCommand implements Callable<Integer> {
    /** The lecture's vertical-edge filter: left column 1, middle 0, right -1. */
    static final float[] VERTICAL = {1, 0, -1, 1, 0, -1, 1, 0, -1};
    /** The lecture's horizontal-edge filter: top row 1, middle 0, bottom -1. */
    static final float[] HORIZONTAL = {1, 1, 1, 0, 0, 0, -1, -1, -1};

    @ParentCommand
    CnncCommand parent;
    @Mixin
    DataOption data;

    @Parameters(paramLabel = "IMAGE", arity = "0..1",
        description = "image file (PNG, JPEG, ...); made grey and resized to 256x256")
    File image;

    @Option(names = "--index", paramLabel = "N", defaultValue = "0",
        description = "the Fashion-MNIST test image to use without IMAGE (default: ${DEFAULT-VALUE})")
    int index;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ModelOptions.DEFAULT_OUT + "/edges",
        description = "where the PNG files go (default: ${DEFAULT-VALUE})")
    File out;

    @Override
    public Integer call() throws IOException {
        int size = EdgeFiltersModel.INPUT_HEIGHT;
        float[] input = image != null ? ImageFiles.readChw(image, 1, size, size) : fashionImage(size);
        RunFiles.checkWritable(out);
        float[] planes = filter(input);
        int outSize = size - 2;
        File inputPng = new File(out, "input.png");
        File verticalPng = new File(out, "vertical-edges.png");
        File horizontalPng = new File(out, "horizontal-edges.png");
        ImageFiles.writePng(ImageFiles.toImage(input, 0, 1, size, size, 0f, 1f, 1), inputPng);
        ImageFiles.writePng(planes, 0, 1, outSize, outSize, verticalPng);
        ImageFiles.writePng(planes, outSize * outSize, 1, outSize, outSize, horizontalPng);
        parent.out().println("input (grey, " + size + "x" + size + "): " + inputPng.getPath());
        parent.out().println("vertical edges   (filter rows 1 0 -1):      " + verticalPng.getPath());
        parent.out().println("horizontal edges (filter rows 1 1 1 / 0 0 0 / -1 -1 -1): " + horizontalPng.getPath());
        return 0;
    }

    /** The two 254x254 planes of the edge filters over a 256x256 grey image, channel-major. */
    static float[] filter(float[] input) {
        EdgeFiltersModel model = new EdgeFiltersModel();
        float[] parameters = model.parameters(); // [2][1][3][3] weights, then 2 biases (0)
        System.arraycopy(VERTICAL, 0, parameters, 0, 9);
        System.arraycopy(HORIZONTAL, 0, parameters, 9, 9);
        parameters[18] = 0;
        parameters[19] = 0;
        Workspace workspace = model.newWorkspace();
        float[] planes = new float[EdgeFiltersModel.OUTPUT_SIZE];
        model.forward(workspace, input, 0, planes, 0);
        return planes;
    }

    private float[] fashionImage(int size) throws IOException {
        File directory = DataSetChoice.FASHION_MNIST.resolveDirectory(data.data);
        LabeledImages test = DataSplits.readSplit(DataSetChoice.FASHION_MNIST, directory, false, null);
        if (index < 0 || index >= test.count()) {
            throw new CommandFailure("--index " + index + " is not a test image; there are " + test.count());
        }
        return ImageFiles.resizeBilinear(test.image(index), 1, test.height(), test.width(), size, size);
    }
}
