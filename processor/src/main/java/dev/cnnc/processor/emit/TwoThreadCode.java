package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.lang.model.element.Modifier;

/**
 * The inference class's {@code twoThreads()} and the class {@code TwoThreads} behind it: one image at a
 * time over the calling thread and one helper thread, as {@link SplitPlan} shares the layers.
 *
 * <p>The protocol, per image (a "round"): the caller posts the image, runs its own share of a phase, then
 * claims the helper's share of that phase by compare-and-set. If the helper has not started it, the
 * caller runs it too; if the helper is running it, the caller waits for it, but at most twice as long
 * as its own share took (then it takes the share over: the helper was descheduled, say by another
 * process on its core). The helper writes only into its own buffers, and the caller copies its results
 * in once it has seen the share done, so a share the helper finishes late, or for an image the caller is
 * done with, changes nothing. A helper that is late, parked, descheduled or dead costs speed, never a
 * result. Each share's state is {@code round * 4 + state}, so a helper that wakes up during a later
 * round fails its compare-and-set. Every output entry is computed by the same loops as {@code predict}'s
 * (a share only has fewer rows or filters), so the bits are {@code predict}'s.
 *
 * <p>Between images the helper spins (reading one volatile field) for {@value #SPIN_MICROS} us, then parks
 * until the next image: back-to-back images find it awake, an idle caller does not keep a core busy.
 * Java 8 and Android API 21 have no {@code Thread.onSpinWait}, so the spin is a plain loop.
 */
final class TwoThreadCode {
    /** How long the helper spins for the next image before it parks: a few images' time. */
    static final int SPIN_MICROS = 200;

    private static final int OPEN = 0;
    private static final int HELPER = 1;
    private static final int DONE = 2;
    private static final int CALLER = 3;

    private final SplitPlan plan;
    private final Pipeline pipeline;
    private final PlaneStartCode planeStarts;
    private final ClassName inferenceType;
    private final ClassName twoThreadsType;
    private final ClassName scratchType;
    private final String networkName;

    TwoThreadCode(Pipeline pipeline, PlaneStartCode planeStarts, ClassName inferenceType, String networkName) {
        this.plan = SplitPlan.of(pipeline);
        this.pipeline = pipeline;
        this.planeStarts = planeStarts;
        this.inferenceType = inferenceType;
        this.twoThreadsType = inferenceType.nestedClass("TwoThreads");
        this.scratchType = inferenceType.nestedClass("Scratch");
        this.networkName = networkName;
    }

    /** Adds {@code twoThreads()}, the class {@code TwoThreads} and the shares' layer methods. */
    void addTo(TypeSpec.Builder type) {
        type.addMethod(MethodSpec.methodBuilder("twoThreads")
                .addModifiers(Modifier.PUBLIC)
                .returns(twoThreadsType)
                .addJavadoc("A predictor that runs one image at a time over the calling thread and a helper thread it\n"
                        + "starts (see {@link TwoThreads}): lower latency per image than {@link #predict(float[], float[])}\n"
                        + "when a second core is free. Close it to stop the helper.\n")
                .addStatement("return new $T(this, $L)", twoThreadsType, plan.exists())
                .build());
        if (plan.exists()) {
            for (MethodSpec method : shareMethods()) {
                type.addMethod(method);
            }
        }
        type.addType(twoThreadsClass());
    }

    private List<MethodSpec> shareMethods() {
        List<MethodSpec> methods = new ArrayList<>();
        methods.add(plan.rows().share(plan.callerRows()).forward());
        methods.add(plan.rows().share(plan.helperRows()).forward());
        methods.add(plan.pool().forwardRows(0, plan.poolMiddle()));
        methods.add(plan.pool().forwardRows(plan.poolMiddle(), plan.poolRows()));
        if (plan.filters() != null) {
            methods.addAll(planeStarts.shareMethods(plan.filters(), plan.callerFilters()));
            methods.addAll(planeStarts.shareMethods(plan.filters(), plan.helperFilters()));
        }
        if (plan.channelPool() != null) {
            int channels = plan.channelPool().layer().input().channels();
            methods.add(plan.channelPool().forwardChannels(0, plan.filterMiddle()));
            methods.add(plan.channelPool().forwardChannels(plan.filterMiddle(), channels));
        }
        return methods;
    }

    /** What {@code split()} returns. */
    private String description() {
        if (!plan.exists()) {
            return "no split (" + plan.reason() + "): every layer runs on the calling thread";
        }
        String conv = plan.rows().layer().name();
        String pool = plan.pool().layer().name();
        int convRows = plan.rows().layer().output().height();
        int poolRows = plan.poolRows();
        StringBuilder text = new StringBuilder()
                .append(conv).append(" rows 0-").append(plan.rowMiddle() - 1).append(" and ").append(pool)
                .append(" rows 0-").append(plan.poolMiddle() - 1).append(" on the calling thread, ").append(conv)
                .append(" rows ").append(plan.rowMiddle()).append('-').append(convRows - 1).append(" and ")
                .append(pool).append(" rows ").append(plan.poolMiddle()).append('-').append(poolRows - 1)
                .append(" on the helper; ");
        if (plan.filters() != null) {
            int filters = ((dev.cnnc.processor.model.LayerModel.ConvLayer) plan.filters().layer()).filters();
            text.append(plan.filters().layer().name()).append(" filters 0-").append(plan.filterMiddle() - 1)
                    .append(" on the calling thread, ").append(plan.filterMiddle()).append('-').append(filters - 1)
                    .append(" on the helper");
            if (plan.channelPool() != null) {
                text.append(", ").append(plan.channelPool().layer().name()).append(" on the same channels");
            }
            text.append("; ");
        }
        List<String> rest = new ArrayList<>();
        for (int i = plan.restFrom(); i < pipeline.size(); i++) {
            rest.add(pipeline.emitters().get(i).layer().name());
        }
        return text.append(String.join(", ", rest)).append(" on the calling thread")
                .append(" (a share the helper has not started runs on the calling thread)").toString();
    }

    private TypeSpec twoThreadsClass() {
        TypeSpec.Builder type = TypeSpec.classBuilder(twoThreadsType)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(Closeable.class)
                .addJavadoc("One image at a time over the calling thread and a helper thread, made by {@link #twoThreads()}:\n"
                        + "{@link #split()} says which layers, rows and filters each runs. The outputs are\n"
                        + "{@code predict}'s, bit for bit, whichever thread computed a share. The helper starts with the\n"
                        + "object, spins $L us after each image waiting for the next (keeping its core busy), then parks\n"
                        + "until one comes; if it is late the calling thread runs its share itself, so a busy second core\n"
                        + "costs speed, not results. One call at a time: a second thread calling while one runs gets an\n"
                        + "{@code IllegalStateException} (make one object per calling thread). Close it to stop the\n"
                        + "helper; the helper is a daemon thread, so one left open does not keep the JVM alive.\n"
                        + "Allocates nothing per image after the first.\n", SPIN_MICROS)
                .addField(FieldSpec.builder(int.class, "OPEN", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$L", OPEN).addJavadoc("A share's state (after {@code round * 4}): not started.\n").build())
                .addField(FieldSpec.builder(int.class, "HELPER", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$L", HELPER).addJavadoc("A share's state: being run by the helper.\n").build())
                .addField(FieldSpec.builder(int.class, "DONE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$L", DONE).addJavadoc("A share's state: finished by the helper.\n").build())
                .addField(FieldSpec.builder(int.class, "CALLER", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$L", CALLER).addJavadoc("A share's state: taken by the calling thread.\n").build())
                .addField(FieldSpec.builder(long.class, "SPIN_NANOS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$LL", SPIN_MICROS * 1000L).build())
                .addField(FieldSpec.builder(float[].class, "p", Modifier.PRIVATE, Modifier.FINAL).build())
                .addField(FieldSpec.builder(float[][][].class, "columns", Modifier.PRIVATE, Modifier.FINAL).build())
                .addField(FieldSpec.builder(scratchType, "s", Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("The calling thread's buffers; the shared ones (the pool's and the later layers' outputs) too.\n")
                        .build())
                .addField(FieldSpec.builder(AtomicInteger.class, "busy", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T()", AtomicInteger.class)
                        .addJavadoc("1 while a call runs.\n").build())
                .addField(FieldSpec.builder(Thread.class, "helper", Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("Null when the network has no split.\n").build())
                .addField(FieldSpec.builder(boolean.class, "closed", Modifier.PRIVATE, Modifier.VOLATILE).build())
                .addField(FieldSpec.builder(int.class, "round", Modifier.PRIVATE)
                        .addJavadoc("The calling thread's count of images.\n").build())
                .addField(FieldSpec.builder(float[].class, "image", Modifier.PRIVATE)
                        .addJavadoc("The image of the newest round; written before {@code posted}.\n").build())
                .addField(FieldSpec.builder(int.class, "posted", Modifier.PRIVATE, Modifier.VOLATILE)
                        .addJavadoc("The newest round.\n").build())
                .addField(FieldSpec.builder(int.class, "pooled", Modifier.PRIVATE, Modifier.VOLATILE)
                        .addJavadoc("The newest round whose first phase (both halves) is done.\n").build())
                .addField(FieldSpec.builder(AtomicInteger.class, "rows", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T($L)", AtomicInteger.class, DONE)
                        .addJavadoc("The helper's rows share of the first phase: {@code round * 4 + state}.\n").build())
                .addField(FieldSpec.builder(AtomicInteger.class, "filters", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T($L)", AtomicInteger.class, DONE)
                        .addJavadoc("The helper's filters share of the second phase: {@code round * 4 + state}.\n").build())
                .addField(FieldSpec.builder(boolean.class, "helperWaiting", Modifier.PRIVATE, Modifier.VOLATILE)
                        .addJavadoc("Whether the helper is parked (or about to park).\n").build())
                .addField(FieldSpec.builder(scratchType, "helped", Modifier.PRIVATE)
                        .addJavadoc("The helper's buffers, its shares' results among them: set on its thread before its first\n"
                                + "share is done, read after a share is seen done.\n").build())
                .addField(FieldSpec.builder(Throwable.class, "helperFailure", Modifier.PRIVATE, Modifier.VOLATILE)
                        .addJavadoc("What stopped the helper, if anything did: then the calling thread runs every share.\n").build());
        type.addMethod(constructor());
        type.addMethod(MethodSpec.methodBuilder("predict")
                .addModifiers(Modifier.PUBLIC)
                .returns(float[].class)
                .addJavadoc("Returns the network's outputs for one image, as {@link $T#predict(float[])}.\n", inferenceType)
                .addParameter(float[].class, "chw")
                .addStatement("float[] output = new float[OUTPUT_SIZE]")
                .addStatement("predict(chw, output)")
                .addStatement("return output")
                .build());
        type.addMethod(predictInto());
        type.addMethod(MethodSpec.methodBuilder("split")
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addJavadoc("Which layers, rows and filters each thread runs, and whether the helper stopped.\n")
                .addStatement("Throwable failure = helperFailure")
                .addStatement("return $S + (failure == null ? $S : $S + failure)", description(), "",
                        "; the helper stopped: ")
                .build());
        type.addMethod(close());
        if (plan.exists()) {
            type.addMethod(forwardSplit());
            type.addMethod(helperResult());
            type.addMethod(help());
            type.addMethod(helpWith());
            type.addMethod(awaitImage());
        }
        return type.build();
    }

    private MethodSpec constructor() {
        MethodSpec.Builder method = MethodSpec.constructorBuilder()
                .addParameter(inferenceType, "model")
                .addParameter(boolean.class, "startHelper")
                .addJavadoc("@param startHelper false only in tests: a helper that never comes\n")
                .addStatement("this.p = model.parameters")
                .addStatement("this.columns = model.columns")
                .addStatement("this.s = new $T()", scratchType);
        if (!plan.exists()) {
            return method.addStatement("this.helper = null").build();
        }
        return method.beginControlFlow("if (!startHelper)")
                .addStatement("this.helper = null")
                .addStatement("return")
                .endControlFlow()
                .addStatement("this.helper = new Thread(new Runnable() {\n"
                        + "    @Override\n"
                        + "    public void run() {\n"
                        + "        help();\n"
                        + "    }\n"
                        + "}, $S)", "cnnc " + networkName + " helper")
                .addStatement("helper.setDaemon(true)")
                .addStatement("helper.start()")
                .build();
    }

    private MethodSpec predictInto() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("predict")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Writes the network's outputs for one image into {@code output}, as\n"
                        + "{@link $T#predict(float[], float[])}: the same bits.\n", inferenceType)
                .addJavadoc("@throws IllegalStateException if this object is closed, or another thread's call is running\n")
                .addParameter(float[].class, "chw")
                .addParameter(float[].class, "output")
                .addStatement("checkLength($S, chw, INPUT_SIZE)", "chw")
                .addStatement("checkLength($S, output, OUTPUT_SIZE)", "output")
                .beginControlFlow("if (!busy.compareAndSet(0, 1))")
                .addStatement("throw new $T($S)", IllegalStateException.class, networkName
                        + " TwoThreads: called from two threads at once (make one TwoThreads per calling thread)")
                .endControlFlow()
                .beginControlFlow("try")
                .beginControlFlow("if (closed)")
                .addStatement("throw new $T($S)", IllegalStateException.class, networkName + " TwoThreads: closed")
                .endControlFlow();
        if (plan.exists()) {
            method.addStatement("forwardSplit(chw)");
        } else {
            method.addStatement("forward(p, columns, chw, s)");
        }
        return method.addStatement("finish(s, output, 0)")
                .nextControlFlow("finally")
                .addStatement("busy.set(0)")
                .endControlFlow()
                .build();
    }

    private MethodSpec close() {
        return MethodSpec.methodBuilder("close")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Stops the helper and waits for it to end (it finishes at most the share it is running).\n"
                        + "Later calls of {@code predict} throw; closing again does nothing.\n")
                .addStatement("closed = true")
                .beginControlFlow("if (helper == null)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("$T.unpark(helper)", LockSupport.class)
                .addCode(UninterruptibleWait.loop("helper.isAlive()", "helper.join()"))
                .build();
    }

    /** The calling thread's side of one image. */
    private MethodSpec forwardSplit() {
        String conv = plan.rows().layer().name();
        String pool = plan.pool().layer().name();
        MethodSpec.Builder method = MethodSpec.methodBuilder("forwardSplit")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(float[].class, "chw")
                .addStatement("int round = ++this.round")
                .addStatement("image = chw")
                .addStatement("rows.set(round * 4 + OPEN)")
                .addStatement("filters.set(round * 4 + OPEN)")
                .addStatement("posted = round")
                .beginControlFlow("if (helperWaiting)")
                .addStatement("$T.unpark(helper)", LockSupport.class)
                .endControlFlow()
                .addComment("$L and $L: this thread's rows, then the helper's (computed here if it has not started them)",
                        conv, pool)
                .addStatement("long start = System.nanoTime()");
        addRows(method, plan.callerRows(), 0, plan.poolMiddle(), "chw", "s", "s");
        method.addStatement("long now = System.nanoTime()")
                .addStatement("$T helper = helperResult(rows, round, now + 2 * (now - start))", scratchType)
                .beginControlFlow("if (helper == null)");
        addRows(method, plan.helperRows(), plan.poolMiddle(), plan.poolRows(), "chw", "s", "s");
        int poolRows = plan.poolRows();
        int poolWidth = plan.pool().layer().output().width();
        int helperFloats = (poolRows - plan.poolMiddle()) * poolWidth;
        method.nextControlFlow("else")
                .beginControlFlow("for (int c = 0; c < $L; c++)", plan.pool().layer().output().channels())
                .addStatement("$T.arraycopy(helper.$N, c * $L + $L, s.$N, c * $L + $L, $L)", System.class,
                        pipeline.output(1), poolRows * poolWidth, plan.poolMiddle() * poolWidth, pipeline.output(1),
                        poolRows * poolWidth, plan.poolMiddle() * poolWidth, helperFloats)
                .endControlFlow()
                .endControlFlow()
                .addStatement("pooled = round");
        int next = plan.restFrom();
        if (plan.filters() != null) {
            // the helper hands over its part of the last layer it shares: channels are contiguous in CHW
            int handedOver = plan.channelPool() == null ? 2 : 3;
            String result = pipeline.output(handedOver);
            int channels = plan.filters().layer().output().channels();
            int plane = (int) (pipeline.outputSize(handedOver) / channels);
            int helperFrom = plan.filterMiddle() * plane;
            method.addComment("$L: this thread's filters, then the helper's (computed here if it has not started them)",
                            plan.filters().layer().name() + (plan.channelPool() == null ? ""
                                    : " and " + plan.channelPool().layer().name()))
                    .addStatement("start = System.nanoTime()");
            addFilters(method, plan.callerFilters(), "s");
            method.addStatement("now = System.nanoTime()")
                    .addStatement("helper = helperResult(filters, round, now + 2 * (now - start))")
                    .beginControlFlow("if (helper == null)");
            addFilters(method, plan.helperFilters(), "s");
            method.nextControlFlow("else")
                    .addStatement("$T.arraycopy(helper.$N, $L, s.$N, $L, $L)", System.class, result, helperFrom, result,
                            helperFrom, pipeline.outputSize(handedOver) - helperFrom)
                    .endControlFlow();
        }
        method.addComment("the rest on this thread");
        int firstDense = pipeline.firstDense();
        for (int i = next; i < firstDense; i++) {
            LayerEmitter emitter = pipeline.emitters().get(i);
            String in = "s." + pipeline.output(i - 1);
            String out = "s." + pipeline.output(i);
            CodeBlock placed = planeStarts.call(emitter, in, out);
            method.addStatement(placed != null ? placed : emitter.forwardCall(in, out, "s"));
        }
        if (firstDense < pipeline.size()) {
            method.addStatement("forwardDense(p, columns, s.$N, s)", pipeline.output(firstDense - 1));
        }
        return method.build();
    }

    /**
     * One thread's filters of the third layer and, if it is shared, the same channels of the pool after
     * it, reading the calling thread's pooled input and writing into {@code scratch}'s buffers.
     */
    private void addFilters(MethodSpec.Builder method, ConvEmitter.Share filters, String scratch) {
        String in = "s." + pipeline.output(1);
        String out = scratch + "." + pipeline.output(2);
        method.addStatement(planeStarts.shareCall(plan.filters(), filters, in, out, scratch));
        if (plan.channelPool() != null) {
            CodeBlock.Builder call = CodeBlock.builder().add("$N($L, $L.$N",
                    plan.channelPool().forwardChannelsName(filters.fromFilter(), filters.toFilter()), out, scratch,
                    pipeline.output(3));
            for (ScratchBuffer buffer : plan.channelPool().forwardScratch()) {
                call.add(", $L.$N", scratch, buffer.name());
            }
            method.addStatement(call.add(")").build());
        }
    }

    /**
     * One thread's rows of the first convolution and then of the pool: the convolution's planes and
     * output in {@code scratch}'s buffers, the pool's output in {@code poolScratch}'s.
     */
    private void addRows(MethodSpec.Builder method, ConvEmitter.Share convRows, int poolFrom, int poolTo,
            String in, String scratch, String poolScratch) {
        String convOut = scratch + "." + pipeline.output(0);
        method.addStatement(plan.rows().share(convRows).forwardCall(in, convOut, scratch));
        CodeBlock.Builder call = CodeBlock.builder()
                .add("$N($L, $L.$N", plan.pool().forwardRowsName(poolFrom, poolTo), convOut, poolScratch,
                        pipeline.output(1));
        for (ScratchBuffer buffer : plan.pool().forwardScratch()) {
            call.add(", $L.$N", scratch, buffer.name());
        }
        method.addStatement(call.add(")").build());
    }

    private MethodSpec helperResult() {
        return MethodSpec.methodBuilder("helperResult")
                .addModifiers(Modifier.PRIVATE)
                .returns(scratchType)
                .addJavadoc("The helper's buffers once it has finished its {@code share} of this round, or null if the\n"
                        + "calling thread is to compute the share: the helper has not started it (then it never will), or\n"
                        + "is still running it at {@code deadline} ({@code System.nanoTime()}; the caller gives it twice\n"
                        + "the time its own share took).\n")
                .addParameter(AtomicInteger.class, "share")
                .addParameter(int.class, "round")
                .addParameter(long.class, "deadline")
                .beginControlFlow("while (true)")
                .beginControlFlow("if (share.compareAndSet(round * 4 + OPEN, round * 4 + CALLER))")
                .addStatement("return null")
                .endControlFlow()
                .beginControlFlow("if (share.get() == round * 4 + DONE)")
                .addStatement("return helped")
                .endControlFlow()
                .beginControlFlow("if (System.nanoTime() - deadline > 0 && share.compareAndSet(round * 4 + HELPER, round * 4 + CALLER))")
                .addStatement("return null")
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** The helper thread's loop. */
    private MethodSpec help() {
        return MethodSpec.methodBuilder("help")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("The helper thread: waits for each image and runs its shares of it, until closed. Its\n"
                        + "buffers are allocated here, on its own thread.\n")
                .addStatement("$T mine = new $T()", scratchType, scratchType)
                .addStatement("helped = mine")
                .addStatement("int seen = 0")
                .beginControlFlow("while (true)")
                .addStatement("int round = awaitImage(seen)")
                .beginControlFlow("if (round == seen)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("seen = round")
                .beginControlFlow("try")
                .addStatement("helpWith(round, mine)")
                .nextControlFlow("catch ($T failure)", Throwable.class)
                .addComment("give back the share it held (the caller then runs it) and stop helping")
                .addStatement("rows.compareAndSet(round * 4 + HELPER, round * 4 + OPEN)")
                .addStatement("filters.compareAndSet(round * 4 + HELPER, round * 4 + OPEN)")
                .addStatement("helperFailure = failure")
                .addStatement("return")
                .endControlFlow()
                .endControlFlow()
                .build();
    }

    /** The helper's shares of one round. */
    private MethodSpec helpWith() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("helpWith")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(int.class, "round")
                .addParameter(scratchType, "mine")
                .addStatement("float[] chw = image")
                .beginControlFlow("if (rows.compareAndSet(round * 4 + OPEN, round * 4 + HELPER))");
        addRows(method, plan.helperRows(), plan.poolMiddle(), plan.poolRows(), "chw", "mine",
                "mine");
        method.addStatement("rows.compareAndSet(round * 4 + HELPER, round * 4 + DONE)")
                .endControlFlow();
        if (plan.filters() == null) {
            return method.build();
        }
        method.addComment("the second phase reads both halves of the first, which the calling thread puts together")
                .addStatement("long waitStart = System.nanoTime()")
                .beginControlFlow("while (pooled != round)")
                .beginControlFlow("if (posted != round || closed || System.nanoTime() - waitStart > SPIN_NANOS)")
                .addStatement("return")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (filters.compareAndSet(round * 4 + OPEN, round * 4 + HELPER))");
        addFilters(method, plan.helperFilters(), "mine");
        return method.addStatement("filters.compareAndSet(round * 4 + HELPER, round * 4 + DONE)")
                .endControlFlow()
                .build();
    }

    private MethodSpec awaitImage() {
        return MethodSpec.methodBuilder("awaitImage")
                .addModifiers(Modifier.PRIVATE)
                .returns(int.class)
                .addJavadoc("The next round after {@code seen}, or {@code seen} once closed: spins for a while, then parks.\n")
                .addParameter(int.class, "seen")
                .addStatement("long spinStart = System.nanoTime()")
                .beginControlFlow("while (!closed)")
                .addStatement("int round = posted")
                .beginControlFlow("if (round != seen)")
                .addStatement("return round")
                .endControlFlow()
                .beginControlFlow("if (System.nanoTime() - spinStart > SPIN_NANOS)")
                .addComment("the caller posts, then reads helperWaiting; this thread sets it, then reads posted:"
                        + " one of them sees the other")
                .addStatement("helperWaiting = true")
                .beginControlFlow("if (posted == seen && !closed)")
                .addStatement("$T.park(this)", LockSupport.class)
                .endControlFlow()
                .addStatement("helperWaiting = false")
                .addStatement("spinStart = System.nanoTime()")
                .endControlFlow()
                .endControlFlow()
                .addStatement("return seen")
                .build();
    }
}
