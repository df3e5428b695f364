package dev.cnnc.samples.cli;

import dev.cnnc.runtime.TrainableModel;
import dev.cnnc.runtime.WeightsFile;
import dev.cnnc.runtime.data.Normalization;
import java.io.File;
import java.io.IOException;

/** A network with the weights and input normalization of a finished {@code train} run. */
final class TrainedModel {
    final NetworkChoice network;
    final TrainableModel model;
    final Normalization normalization;
    final File weightsFile;

    private TrainedModel(NetworkChoice network, TrainableModel model, Normalization normalization, File weightsFile) {
        this.network = network;
        this.model = model;
        this.normalization = normalization;
        this.weightsFile = weightsFile;
    }

    /**
     * Loads the weights file and the normalization beside it. A missing file fails with a hint to
     * train first; a corrupt or foreign weights file with the loader's message naming it.
     */
    static TrainedModel load(ModelOptions options) throws IOException {
        NetworkChoice network = options.network();
        File weights = options.weightsFile();
        File normalizationFile = options.normalizationFile();
        RunFiles.checkExists(weights, "weights", options);
        if (!normalizationFile.isFile()) {
            throw new CommandFailure(normalizationFile.getPath() + ": no such normalization file; train writes it "
                + "beside " + weights.getName() + ", keep the two together");
        }
        TrainableModel model = network.newModel();
        WeightsFile.load(model, weights);
        Normalization normalization = Normalization.load(normalizationFile);
        if (normalization.channels() != network.dataSet().channels()) {
            throw new CommandFailure(normalizationFile.getPath() + ": has " + normalization.channels()
                + " channels but " + network.cliName() + " takes " + network.dataSet().channels());
        }
        return new TrainedModel(network, model, normalization, weights);
    }
}
