package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import dev.cnnc.processor.model.NetworkModel;
import java.io.IOException;
import java.io.InputStream;
import javax.lang.model.element.Modifier;

/**
 * Lets {@code <Name>Inference} read the runtime's weights file on its own (it may not depend on
 * the runtime). The layout is {@code dev.cnnc.runtime.WeightsFile}'s, version 1, little-endian:
 * magic {@code "CNNCW"}, version int32, fingerprint int64, name and architecture (int32 length +
 * UTF-8 each), count int32, the floats, then the CRC32 of everything before it as int32. A test
 * writes with the runtime and reads with the generated class, so the two cannot drift apart.
 */
final class WeightsReaderCode {
    private static final ClassName CRC32 = ClassName.get("java.util.zip", "CRC32");
    private static final ClassName DATA_INPUT = ClassName.get("java.io", "DataInputStream");
    private static final ClassName EOF = ClassName.get("java.io", "EOFException");

    private WeightsReaderCode() {}

    /** {@code static float[] readWeights(InputStream in) throws IOException}. */
    static MethodSpec readWeights(NetworkModel network) {
        String name = network.simpleName();
        return MethodSpec.methodBuilder("readWeights")
                .addModifiers(Modifier.STATIC)
                .returns(float[].class)
                .addException(IOException.class)
                .addJavadoc("Reads a cnnc weights file (written by {@code dev.cnnc.runtime.WeightsFile}) and checks its\n"
                        + "magic, version, fingerprint, parameter count and CRC32.\n")
                .addParameter(InputStream.class, "stream")
                .addStatement("$T crc = new $T()", CRC32, CRC32)
                .addStatement("$T in = new $T(stream)", DATA_INPUT, DATA_INPUT)
                .beginControlFlow("try")
                .addStatement("byte[] magic = new byte[5]")
                .addStatement("in.readFully(magic)")
                .addStatement("crc.update(magic, 0, 5)")
                .beginControlFlow("if (magic[0] != 'C' || magic[1] != 'N' || magic[2] != 'N' || magic[3] != 'C' "
                        + "|| magic[4] != 'W')")
                .addStatement("throw new $T($S)", IOException.class,
                        "not a cnnc weights file (the magic bytes at offset 0 are not \"CNNCW\")")
                .endControlFlow()
                .addStatement("int version = readInt(in, crc)")
                .beginControlFlow("if (version != 1)")
                .addStatement("throw new $T($S + version + $S)", IOException.class,
                        "unsupported weights file version ", "; " + name + "Inference reads version 1")
                .endControlFlow()
                .addStatement("long fingerprint = (readInt(in, crc) & 0xFFFFFFFFL) | ((long) readInt(in, crc) << 32)")
                .addStatement("String fileNetwork = readText(in, crc)")
                .addStatement("String fileArchitecture = readText(in, crc)")
                .addStatement("int count = readInt(in, crc)")
                .beginControlFlow("if (fingerprint != FINGERPRINT)")
                .addStatement("throw new $T($S + fileNetwork + $S + fileArchitecture + $S + ARCHITECTURE + $S)",
                        IOException.class, "the weights file holds the parameters of another network: ", " (",
                        "), not " + name + " (", ")")
                .endControlFlow()
                .beginControlFlow("if (count != PARAMS)")
                .addStatement("throw new $T($S + count + $S)", IOException.class, "the weights file holds ",
                        " parameters, " + name + " has " + network.params())
                .endControlFlow()
                .addStatement("byte[] bytes = new byte[PARAMS * 4]")
                .addStatement("in.readFully(bytes)")
                .addStatement("crc.update(bytes, 0, bytes.length)")
                .addStatement("float[] parameters = new float[PARAMS]")
                .beginControlFlow("for (int i = 0; i < PARAMS; i++)")
                .addStatement("int at = 4 * i")
                .addStatement("parameters[i] = Float.intBitsToFloat((bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 "
                        + "| (bytes[at + 2] & 0xFF) << 16 | (bytes[at + 3] & 0xFF) << 24)")
                .endControlFlow()
                .addStatement("int expected = (int) crc.getValue()")
                .addStatement("int stored = readInt(in, null)")
                .beginControlFlow("if (stored != expected)")
                .addStatement("throw new $T($S)", IOException.class,
                        "the weights file is corrupt: its CRC32 does not match its contents")
                .endControlFlow()
                .beginControlFlow("if (in.read() != -1)")
                .addStatement("throw new $T($S)", IOException.class, "the weights file has bytes after its CRC32")
                .endControlFlow()
                .addStatement("return parameters")
                .nextControlFlow("catch ($T e)", EOF)
                .addStatement("throw new $T($S, e)", IOException.class, "the weights file is truncated")
                .endControlFlow()
                .build();
    }

    /** {@code static int readInt(DataInputStream in, CRC32 crc)}: little-endian; updates the CRC unless null. */
    static MethodSpec readInt() {
        return MethodSpec.methodBuilder("readInt")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(int.class)
                .addException(IOException.class)
                .addParameter(DATA_INPUT, "in")
                .addParameter(CRC32, "crc")
                .addStatement("byte[] bytes = new byte[4]")
                .addStatement("in.readFully(bytes)")
                .beginControlFlow("if (crc != null)")
                .addStatement("crc.update(bytes, 0, 4)")
                .endControlFlow()
                .addStatement("return (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8 | (bytes[2] & 0xFF) << 16 "
                        + "| (bytes[3] & 0xFF) << 24")
                .build();
    }

    /** {@code static String readText(DataInputStream in, CRC32 crc)}: int32 length + UTF-8, at most 1 MiB. */
    static MethodSpec readText() {
        return MethodSpec.methodBuilder("readText")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(String.class)
                .addException(IOException.class)
                .addParameter(DATA_INPUT, "in")
                .addParameter(CRC32, "crc")
                .addStatement("int length = readInt(in, crc)")
                .beginControlFlow("if (length < 0 || length > (1 << 20))")
                .addStatement("throw new $T($S + length)", IOException.class,
                        "not a cnnc weights file: implausible text length ")
                .endControlFlow()
                .addStatement("byte[] bytes = new byte[length]")
                .addStatement("in.readFully(bytes)")
                .addStatement("crc.update(bytes, 0, length)")
                .addStatement("return new String(bytes, $T.forName($S))", ClassName.get("java.nio.charset", "Charset"),
                        "UTF-8")
                .build();
    }
}
