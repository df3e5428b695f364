package dev.cnnc.processor.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The committed PyTorch fixtures are complete and consistent with the networks of
 * {@link ParityNetworks}: every array has the length the network's shapes give by hand, and the
 * reference values agree with each other (probabilities sum to 1, the loss is -log p[label]).
 */
class ParityFixtureTest {

    /** Per network: {C, H, W, classes, parameters}, the parameters counted by hand as (fan-in + 1) x units. */
    private static final Map<String, int[]> EXPECTED = Map.of(
            // (5*5*3+1)*6 + (5*5*6+1)*16 + (400+1)*120 + (120+1)*84 + (84+1)*10 = 456+2416+48120+10164+850
            "CifarLeNet", new int[] {3, 32, 32, 10, 62_006},
            // (5*5*1+1)*6 + 2416 + 48120 + 10164 + 850
            "FashionLeNet", new int[] {1, 28, 28, 10, 61_706},
            // (4*4*2+1)*4 + (2*2*4+1)*3 + (3*3*3+1)*5 = 132 + 51 + 140
            "SameOddStride2", new int[] {2, 9, 9, 5, 323},
            // (3*3*3+1)*4 + (4*4*4+1)*5 + (2*2*5+1)*2 + (2*3*2+1)*6 = 112 + 325 + 42 + 78
            "SameEvenStride2", new int[] {3, 8, 10, 6, 557},
            // (3*3*2+1)*3 + (5*5*3+1)*4 = 57 + 304
            "AvgPoolNet", new int[] {2, 12, 12, 4, 361},
            // (2*2*1+1)*3 + (3*2*3+1)*3 = 15 + 57
            "Stride3MaxThenAvg", new int[] {1, 26, 23, 3, 72},
            // (2*2*2+1)*3 + (2*2*3+1)*4 = 27 + 52
            "Stride3AvgThenMax", new int[] {2, 20, 19, 4, 79},
            // (3*3*1+1)*2 + (2*2*2+1)*3 + (3*4*3+1)*8 + (8+1)*5 + (5+1)*4 = 20 + 27 + 296 + 45 + 24
            "ActivationsNet", new int[] {1, 6, 7, 4, 412});

    private static final List<String> SOFTMAX_LAST = List.of(
            "CifarLeNet", "FashionLeNet", "SameOddStride2", "AvgPoolNet", "Stride3AvgThenMax");

    @Test
    void cifarLeNetFixtureHasTheLectureShapes() {
        ParityFixture fixture = ParityFixture.load("cifar_lenet-0");
        assertEquals("CifarLeNet", fixture.network());
        assertEquals(3 * 32 * 32, fixture.input().length);
        assertEquals(62_006, fixture.params().length);
        assertEquals(62_006, fixture.grad().length);
        assertEquals(10, fixture.output().length);
        assertEquals("[conv1.weight [6, 3, 5, 5] @0, conv1.bias [6] @450, conv2.weight [16, 6, 5, 5] @456,"
                + " conv2.bias [16] @2856, fc1.weight [120, 400] @2872, fc1.bias [120] @50872,"
                + " fc2.weight [84, 120] @50992, fc2.bias [84] @61072, output.weight [10, 84] @61156,"
                + " output.bias [10] @61996]", fixture.tensors().toString());
        assertEquals("fc1.weight[1, 399] (flat 3671)", fixture.describeParameter(2872 + 400 + 399));
    }

    @Test
    void everyFixtureMatchesItsNetworkByHand() {
        List<String> problems = new ArrayList<>();
        List<String> names = ParityFixture.names();
        assertEquals(20, names.size(), names.toString());
        for (String name : names) {
            ParityFixture fixture = ParityFixture.load(name);
            int[] expected = EXPECTED.get(fixture.network());
            if (expected == null) {
                problems.add(name + ": unknown network " + fixture.network());
                continue;
            }
            check(problems, name + " name", name, fixture.name());
            check(problems, name + " input shape", List.of(expected[0], expected[1], expected[2]),
                    List.of(fixture.channels(), fixture.height(), fixture.width()));
            check(problems, name + " input", expected[0] * expected[1] * expected[2], fixture.input().length);
            check(problems, name + " output", expected[3], fixture.output().length);
            check(problems, name + " params", expected[4], fixture.params().length);
            check(problems, name + " grad", expected[4], fixture.grad().length);
            int next = 0;
            for (ParityFixture.Tensor tensor : fixture.tensors()) {
                check(problems, name + " offset of " + tensor.name(), next, tensor.offset());
                next += tensor.length();
            }
            check(problems, name + " tensors cover params", expected[4], next);
            if (fixture.label() < 0 || fixture.label() >= expected[3]) {
                problems.add(name + ": label " + fixture.label() + " outside [0, " + expected[3] + ")");
            }
            if (!(fixture.loss() > 0) || Float.isInfinite(fixture.loss())) {
                problems.add(name + ": loss " + fixture.loss());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void lossAgreesWithTheOutput() {
        for (String name : ParityFixture.names()) {
            ParityFixture fixture = ParityFixture.load(name);
            float[] output = fixture.output();
            double expectedLoss;
            if (SOFTMAX_LAST.contains(fixture.network())) {
                double sum = 0;
                for (float p : output) {
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-6, name + ": probabilities sum");
                expectedLoss = -Math.log(output[fixture.label()]);
            } else {
                // Raw outputs are the logits: log-sum-exp minus the label's logit.
                double sum = 0;
                for (float logit : output) {
                    sum += Math.exp(logit);
                }
                expectedLoss = Math.log(sum) - output[fixture.label()];
            }
            assertEquals(expectedLoss, fixture.loss(), 1e-6, name + ": loss");
        }
    }

    @Test
    void everyNetworkHasAClassInParityNetworks() throws ClassNotFoundException {
        assertEquals(new TreeSet<>(EXPECTED.keySet()), new TreeSet<>(List.of(ParityNetworks.NAMES)));
        for (String network : ParityNetworks.NAMES) {
            Class.forName(ParityNetworks.class.getPackageName() + "." + network);
        }
    }

    @Test
    void reluMarginsAreRecorded() {
        ParityFixture fixture = ParityFixture.load("cifar_lenet-0");
        assertTrue(fixture.margins().get("relu") >= 1e-4, fixture.margins().toString());
        assertEquals(Double.POSITIVE_INFINITY, ParityFixture.load("avg_pool-0").margins().get("relu"));
    }

    @Test
    void parseReadsAHandWrittenFixture() {
        List<String> manifest = List.of(
                "# comment",
                "fixture tiny-0", "network Tiny", "architecture input 1x1x2; fc dense u1 LINEAR -> 1",
                "input_shape 2 1 1", "label 0", "loss 0x1.8p-1 0.75",
                "tensor fc.weight 1,2 0", "tensor fc.bias 1 2",
                "array input 2", "array params 3", "array output 1", "array grad 3", "margin relu none");
        byte[] data = new byte[4 * 9];
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .put(new float[] {1, 2, 0.5f, -1, 0.25f, 7, 8, 9, -0.5f});
        ParityFixture fixture = ParityFixture.parse("tiny-0", manifest, data);
        assertEquals(0.75f, fixture.loss());
        assertArrayEquals(new float[] {1, 2}, fixture.input());
        assertArrayEquals(new float[] {0.5f, -1, 0.25f}, fixture.params());
        assertArrayEquals(new float[] {7}, fixture.output());
        assertArrayEquals(new float[] {8, 9, -0.5f}, fixture.grad());
        assertEquals("fc.bias[0] (flat 2)", fixture.describeParameter(2));
    }

    @Test
    void dataOfTheWrongLengthIsRefusedWithBothSizes() {
        List<String> manifest = List.of("fixture t", "network T", "architecture x", "input_shape 1 1 1", "label 0",
                "loss 0x1p0 1", "array input 1", "array params 2", "array output 1", "array grad 2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParityFixture.parse("t", manifest, new byte[20]));
        assertEquals("t.f32 has 20 bytes, but the arrays {input=1, params=2, output=1, grad=2} of t.txt need 24",
                e.getMessage());
    }

    @Test
    void missingLineIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParityFixture.parse("t", List.of("fixture t", "network T"), new byte[0]));
        assertEquals("t.txt has no 'input_shape' line", e.getMessage());
    }

    private static void check(List<String> problems, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            problems.add(what + ": expected " + expected + ", found " + actual);
        }
    }
}
