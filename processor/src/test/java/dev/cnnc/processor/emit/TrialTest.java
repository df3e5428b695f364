package dev.cnnc.processor.emit;

import static dev.cnnc.Activation.RELU;
import static dev.cnnc.Activation.SOFTMAX;
import static dev.cnnc.Padding.VALID;
import static dev.cnnc.processor.emit.NetworkSource.network;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The generated {@code Trial} class ({@link TrialCode}) driven with made-up times, so its schedule
 * and decisions are checked exactly: which calls alternate, which are timed, when a trial decides,
 * and how the period grows while trials keep the choice and shrinks when one changes it. (The
 * JVM-wide warm-up before any trial is the dispatchers'; {@link ConvLayoutTest} and
 * {@link PlaneStartTest} count it.)
 */
class TrialTest {
    private final Object trial;
    private final Class<?> type;

    TrialTest() throws ReflectiveOperationException {
        GeneratedNetwork generated = GeneratedNetwork.compile(network("TrialNet", 12, 12, 1)
                .conv(4, 3, 1, VALID, RELU).dense(3, SOFTMAX));
        type = generated.load("Inference$Trial");
        Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        trial = constructor.newInstance();
    }

    @Test
    void aTrialOpensThePeriodThenTheFasterFormRuns() throws ReflectiveOperationException {
        int timed = 0;
        for (int call = 0; call < TrialCode.PERIOD; call++) {
            boolean inTrial = call < TrialCode.CALLS;
            assertEquals(inTrial, call("timed"), "call " + call);
            assertEquals(inTrial ? call % 2 == 1 : true, call("runsSecond"), "call " + call);
            if (inTrial) {
                timed++;
                boolean decided = record(call % 2 == 1, call % 2 == 1 ? 100 : 300);
                assertEquals(call == TrialCode.CALLS - 1, decided, "call " + call);
            }
            call("advance");
        }
        assertEquals(TrialCode.CALLS, timed);
        assertEquals(1, field("trials"));
        assertEquals(true, field("second"), "the second form was faster");
        assertEquals(TrialCode.PERIOD, field("period"), "a first trial keeps the shortest period");
        assertEquals(100L, ((long[]) field("best"))[3]);
        assertEquals(300L, ((long[]) field("best"))[2]);
        assertEquals(0, field("call"), "the next period begins");
    }

    @Test
    void periodsDoubleWhileTrialsKeepTheChoiceAndShrinkWhenOneChangesIt() throws ReflectiveOperationException {
        assertEquals(TrialCode.PERIOD, runPeriod(100, 300), "the first period: its trial keeps the shortest length");
        // a trial opens each period and sets its length: doubled when it keeps the choice
        for (int k = 1; k <= 4; k++) {
            assertEquals(Math.min(TrialCode.PERIOD << k, TrialCode.LONGEST_PERIOD), runPeriod(100, 300), "period " + k);
            assertEquals(true, field("second"));
        }
        assertEquals(TrialCode.PERIOD, runPeriod(500, 300), "a trial that changes the choice: short periods again");
        assertEquals(false, field("second"), "the first form is now the faster");
        assertEquals(TrialCode.PERIOD * 2, runPeriod(500, 300));
        assertEquals(7, field("trials"));
    }

    /**
     * One period from its first call to the next period's: returns the calls it ran. The second form
     * takes {@code second} ns, the first {@code first}; between trials the kept form must run.
     */
    private int runPeriod(long second, long first) throws ReflectiveOperationException {
        int calls = 0;
        do {
            boolean inTrial = calls < TrialCode.CALLS;
            boolean runsSecond = call("runsSecond");
            if (inTrial) {
                assertEquals(calls % 2 == 1, runsSecond, "trial call " + calls);
            } else {
                assertEquals(field("second"), runsSecond, "call " + calls + " runs the kept form");
            }
            if (call("timed")) {
                record(runsSecond, runsSecond ? second : first);
            }
            call("advance");
            calls++;
        } while ((Integer) field("call") != 0);
        return calls;
    }

    private boolean call(String name) throws ReflectiveOperationException {
        Method method = type.getDeclaredMethod(name);
        method.setAccessible(true);
        Object result = method.invoke(trial);
        return result instanceof Boolean b && b;
    }

    private boolean record(boolean atSecond, long nanos) throws ReflectiveOperationException {
        Method method = type.getDeclaredMethod("record", boolean.class, long.class);
        method.setAccessible(true);
        return (Boolean) method.invoke(trial, atSecond, nanos);
    }

    private Object field(String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(trial);
    }
}
