package dev.cnnc.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The lecture's LeNet-5, compiled by the real Maven build (the processor on
 * {@code annotationProcessorPaths}, not compile-testing): its generated model must exist and agree
 * with the lecture's 62,006 parameters.
 */
class CifarLeNetTest {

    @Test
    void generatedModelHasTheLecturesParameterCount() {
        assertEquals(62_006, CifarLeNetModel.PARAMS);
        assertEquals(3 * 32 * 32, CifarLeNetModel.INPUT_SIZE);
        assertEquals(10, CifarLeNetModel.OUTPUT_SIZE);
        assertTrue(CifarLeNetModel.SUMMARY.contains("Total params: 62,006"), CifarLeNetModel.SUMMARY);
    }
}
