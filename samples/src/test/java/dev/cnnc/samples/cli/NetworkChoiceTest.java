package dev.cnnc.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnc.runtime.TrainableModel;
import org.junit.jupiter.api.Test;

/** Every network of the command line takes its data set's images and gives ten classes. */
class NetworkChoiceTest {

    @Test
    void eachNetworkFitsItsDataSet() {
        for (NetworkChoice choice : NetworkChoice.values()) {
            TrainableModel model = choice.newModel();
            DataSetChoice dataSet = choice.dataSet();
            assertEquals(dataSet.channels() * dataSet.height() * dataSet.width(), model.inputSize(), choice.cliName());
            assertEquals(10, model.outputSize(), choice.cliName());
            assertEquals(10, dataSet.classNames().length, choice.cliName());
        }
    }

    @Test
    void theLargerNetworksHaveThreeConvolutionsAndTheirDeclaredParameterCounts() {
        assertEquals(98_442, NetworkChoice.FASHION_CNN3.newModel().parameterCount());
        assertEquals(356_810, NetworkChoice.CIFAR_CNN3.newModel().parameterCount());
        for (NetworkChoice choice : new NetworkChoice[] {NetworkChoice.FASHION_CNN3, NetworkChoice.CIFAR_CNN3}) {
            String architecture = choice.newModel().architecture();
            assertEquals(3, architecture.split(" conv ", -1).length - 1, architecture);
        }
    }

    @Test
    void theDefaultsAreTheLeNetsOfEachDataSet() {
        assertEquals(NetworkChoice.FASHION_LENET, NetworkChoice.defaultFor(DataSetChoice.FASHION_MNIST));
        assertEquals(NetworkChoice.CIFAR_LENET, NetworkChoice.defaultFor(DataSetChoice.CIFAR10));
        assertEquals(61_706, NetworkChoice.FASHION_LENET.newModel().parameterCount());
        assertEquals(62_006, NetworkChoice.CIFAR_LENET.newModel().parameterCount());
    }

    @Test
    void summaryPrintsEveryNetworkOrTheOneAskedFor() {
        CliRun all = CliRun.of("summary");
        assertEquals(0, all.status(), all.transcript());
        for (NetworkChoice choice : NetworkChoice.values()) {
            assertTrue(all.out().contains(choice.cliName() + ": "), all.transcript());
        }
        CliRun one = CliRun.of("summary", "--network", "cifar-lenet");
        assertEquals(0, one.status(), one.transcript());
        assertTrue(one.out().contains("Total params: 62,006"), one.transcript());
        assertEquals(1, one.out().split("Model: ", -1).length - 1, one.transcript());
    }
}
