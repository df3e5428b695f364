package dev.cnnc.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lecture's "Model Summary" table, Keras-style:
 *
 * <pre>
 * Layer (type)          Kernel / neurons   Output shape     Params  Formula
 * input (Input)                            (32, 32, 3)           0
 * conv1 (Conv2D)        5x5x3x6            (28, 28, 6)         456  (5x5x3 + 1) x 6
 * </pre>
 */
public final class SummaryTable {
    private static final String[] HEADER = {"Layer (type)", "Kernel / neurons", "Output shape", "Params", "Formula"};

    private SummaryTable() {}

    public static String render(NetworkModel network) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        rows.add(new String[] {"input (Input)", "", network.input().tuple(), "0", ""});
        for (LayerModel layer : network.layers()) {
            rows.add(new String[] {
                layer.name() + " (" + layer.typeName() + ")",
                layer.kernelText(),
                layer.output().tuple(),
                Integer.toString(layer.params()),
                layer.formula()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        StringBuilder text = new StringBuilder();
        text.append("Model: \"").append(network.simpleName()).append("\"\n");
        String rule = "=".repeat(sum(widths) + 2 * (widths.length - 1)) + "\n";
        text.append(rule);
        for (int i = 0; i < rows.size(); i++) {
            appendRow(text, rows.get(i), widths);
            if (i == 0) {
                text.append(rule);
            }
        }
        text.append(rule);
        text.append("Total params: ").append(grouped(network.params()))
                .append(" (").append(kib(network.paramBytes())).append(")\n");
        text.append("Activations per image: ").append(kib(network.activationBytes())).append('\n');
        text.append("Forward FLOPs per image: ").append(grouped(network.flops())).append('\n');
        return text.toString();
    }

    private static void appendRow(StringBuilder text, String[] row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < row.length; column++) {
            if (column > 0) {
                line.append("  ");
            }
            boolean numeric = column == 3;
            String cell = row[column];
            String pad = " ".repeat(widths[column] - cell.length());
            line.append(numeric ? pad + cell : cell + pad);
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }

    private static int sum(int[] values) {
        int total = 0;
        for (int value : values) {
            total += value;
        }
        return total;
    }

    /** {@code 62006 -> "62,006"}, independent of the build machine's locale. */
    public static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
}
