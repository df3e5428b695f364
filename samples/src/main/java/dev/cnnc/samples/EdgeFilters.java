package dev.cnnc.samples;

import static dev.cnnc.Activation.LINEAR;

import dev.cnnc.Conv;
import dev.cnnc.Layer;
import dev.cnnc.Network;

/**
 * The lecture's hand-made edge detectors as a one-layer network: two 3x3 filters, no activation,
 * over a 256x256 grey image. The {@code edges} command sets filter 0 to the vertical-edge filter
 * {@code [1 0 -1]} (each row) and filter 1 to the horizontal-edge filter (rows {@code 1 1 1},
 * {@code 0 0 0}, {@code -1 -1 -1}) instead of learning them.
 */
@Network(height = 256, width = 256, channels = 1, params = 20)
final class EdgeFilters {
    @Conv(filters = 2, kernel = 3, activation = LINEAR) Layer edges; // 254x254x2   (3x3x1 + 1) x 2 = 20
}
