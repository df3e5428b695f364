package dev.cnnc.samples.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Turns the names users type ({@code fashion-lenet}, {@code cifar10}) into choices, listing the valid ones otherwise. */
final class ChoiceConverters {
    private ChoiceConverters() {
    }

    static final class Network implements ITypeConverter<NetworkChoice> {
        @Override
        public NetworkChoice convert(String value) {
            try {
                return NetworkChoice.byCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DataSet implements ITypeConverter<DataSetChoice> {
        @Override
        public DataSetChoice convert(String value) {
            try {
                return DataSetChoice.byCliName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
