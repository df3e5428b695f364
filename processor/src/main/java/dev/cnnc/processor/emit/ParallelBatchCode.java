package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.lang.model.element.Modifier;

/**
 * The inference class's batch entry on several threads, {@code predictBatch(images, count, outputs,
 * executor, threads)}, and the class {@code BatchGroups} behind it: the batch is cut into groups (16
 * images, one lane group, while the lane kernel runs or is being tuned; 4 when the JVM runs images one
 * by one), and the calling thread and the executor's tasks take the next group in turn until none is
 * left. A thread that runs slower (another process on its core, buffers at a
 * slow address, see {@link PlaneStartCode}) takes fewer groups instead of holding the others up, as an
 * even split into contiguous halves did. Each image is computed by {@code predictRange}, so the bits
 * are {@code predict}'s whatever thread computed it.
 *
 * <p>The caller waits for the groups, not for the tasks: a task that starts late (a busy executor, or
 * a call from one of the executor's own tasks) finds no group left and returns, and a rejected task's
 * share falls to the caller. So the call cannot deadlock on its executor, and it returns only when
 * every output is written.
 */
final class ParallelBatchCode {
    /** Images per group for the lane kernel: one lane group, short enough (about a millisecond) to balance threads. */
    static final int GROUP = LanesEmitter.LANES;
    /**
     * Images per group when the JVM runs images one by one (the batch kernel JDK 25 picks): any size
     * costs the same per image there, and smaller groups let two threads end closer together. For
     * CifarLeNet on JDK 25 (256 images, two threads), groups of 4, 8 and shrinking ones each ran 0.3-6%
     * faster than groups of 16 in three alternating runs, groups of 4 1.9-5.8% (docs/PERFORMANCE.md).
     */
    static final int IMAGE_GROUP = 4;
    /** How long the caller polls for the other threads' last groups before it waits. */
    static final int SPIN_MILLIS = 2;

    private final ClassName inferenceType;
    private final ClassName groupsType;
    private final String networkName;
    private final boolean hasLaneKernel;

    ParallelBatchCode(ClassName inferenceType, String networkName, boolean hasLaneKernel) {
        this.inferenceType = inferenceType;
        this.groupsType = inferenceType.nestedClass("BatchGroups");
        this.networkName = networkName;
        this.hasLaneKernel = hasLaneKernel;
    }

    /** Adds the parallel {@code predictBatch} and {@code BatchGroups} to {@code type}. */
    void addTo(TypeSpec.Builder type) {
        type.addMethod(predictBatchOnThreads());
        type.addType(groupsClass());
    }

    private MethodSpec predictBatchOnThreads() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("predictBatch")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("{@link #predictBatch(float[], int, float[])} on {@code threads} threads: this one and up to\n"
                        + "{@code threads - 1} tasks given to {@code executor} take groups of images in turn until none\n"
                        + "is left, so a slower thread takes fewer ($L images per group for the lane kernel, $L when\n"
                        + "images run one by one: see {@link #batchKernel()}). The same bits as {@code predict} on each\n"
                        + "image, for any thread count and executor. Returns when every output is written; a task\n"
                        + "that the executor rejects or starts late finds the work done, so a call from one of the\n"
                        + "executor's own tasks cannot deadlock. Give it an executor with {@code threads - 1} threads to\n"
                        + "spare (for example {@code Executors.newFixedThreadPool(threads - 1)}, kept for many calls).\n"
                        + "Allocates the few objects that hand the work over, once per call of more than one group.\n",
                        GROUP, IMAGE_GROUP)
                .addJavadoc("@throws IllegalArgumentException if {@code threads} is below 1, or an array is shorter than\n"
                        + "{@code count} images or outputs\n")
                .addJavadoc("@throws NullPointerException if {@code executor} is null while {@code threads} is above 1\n")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "count")
                .addParameter(float[].class, "outputs")
                .addParameter(Executor.class, "executor")
                .addParameter(int.class, "threads")
                .addStatement("checkBatch($S, images, count, INPUT_SIZE)", "images")
                .addStatement("checkBatch($S, outputs, count, OUTPUT_SIZE)", "outputs")
                .beginControlFlow("if (threads < 1)")
                .addStatement("throw new $T($S + threads)", IllegalArgumentException.class,
                        networkName + ": threads must be at least 1, was ")
                .endControlFlow()
                .beginControlFlow("if (executor == null && threads > 1)")
                .addStatement("throw new $T($S + threads + $S)", NullPointerException.class, "executor is null (threads ", ")")
                .endControlFlow();
        if (hasLaneKernel) {
            method.addComment("while lanes run or are tuned a group is one lane group; one by one, smaller groups balance better")
                    .addStatement("int groupSize = batchChoice() == IMAGES ? $L : $L", IMAGE_GROUP, GROUP);
        } else {
            method.addComment("no lane form: images always run one by one, and smaller groups balance better")
                    .addStatement("int groupSize = $L", IMAGE_GROUP);
        }
        return method.beginControlFlow("if (threads == 1 || count <= groupSize)")
                .addComment("one group at most: nothing to share, nothing to allocate")
                .addStatement("predictRange(images, 0, count, outputs)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("$T work = new $T(this, images, count, outputs, groupSize)", groupsType, groupsType)
                .beginControlFlow("try")
                .addStatement("work.handOut(executor, Math.min(threads, work.groups) - 1)")
                .nextControlFlow("finally")
                .addComment("this thread's share (all of it if no task runs), and no return before every output is written")
                .addStatement("work.run()")
                .addStatement("work.await()")
                .endControlFlow()
                .build();
    }

    private TypeSpec groupsClass() {
        return TypeSpec.classBuilder(groupsType)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(Runnable.class)
                .addJavadoc("One call of the parallel {@code predictBatch}: its images in groups of {@code size}, which the\n"
                        + "threads take in turn. The caller waits for the groups, not for the tasks.\n")
                .addField(inferenceType, "net", Modifier.PRIVATE, Modifier.FINAL)
                .addField(float[].class, "images", Modifier.PRIVATE, Modifier.FINAL)
                .addField(int.class, "count", Modifier.PRIVATE, Modifier.FINAL)
                .addField(float[].class, "outputs", Modifier.PRIVATE, Modifier.FINAL)
                .addField(FieldSpec.builder(int.class, "size", Modifier.PRIVATE, Modifier.FINAL)
                        .addJavadoc("Images per group (the last one may have fewer).\n").build())
                .addField(FieldSpec.builder(int.class, "groups", Modifier.FINAL).build())
                .addField(FieldSpec.builder(AtomicInteger.class, "next", Modifier.PRIVATE, Modifier.FINAL)
                        .initializer("new $T()", AtomicInteger.class)
                        .addJavadoc("The next group to take.\n").build())
                .addField(FieldSpec.builder(int.class, "finished", Modifier.PRIVATE)
                        .addJavadoc("Groups computed or failed; guarded by this.\n").build())
                .addField(FieldSpec.builder(boolean.class, "done", Modifier.PRIVATE, Modifier.VOLATILE)
                        .addJavadoc("Set with the last group's end; the caller polls it before it waits.\n").build())
                .addField(FieldSpec.builder(Throwable.class, "failure", Modifier.PRIVATE)
                        .addJavadoc("The first group's failure, rethrown to the caller; guarded by this.\n").build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addParameter(inferenceType, "net")
                        .addParameter(float[].class, "images")
                        .addParameter(int.class, "count")
                        .addParameter(float[].class, "outputs")
                        .addParameter(int.class, "size")
                        .addStatement("this.net = net")
                        .addStatement("this.images = images")
                        .addStatement("this.count = count")
                        .addStatement("this.outputs = outputs")
                        .addStatement("this.size = size")
                        .addStatement("this.groups = (count + size - 1) / size")
                        .build())
                .addMethod(handOut())
                .addMethod(run())
                .addMethod(finished())
                .addMethod(await())
                .addMethod(awaitAll())
                .build();
    }

    private static MethodSpec handOut() {
        return MethodSpec.methodBuilder("handOut")
                .addJavadoc("Gives {@code executor} {@code tasks} tasks, or as many as it accepts.\n")
                .addParameter(Executor.class, "executor")
                .addParameter(int.class, "tasks")
                .beginControlFlow("try")
                .beginControlFlow("for (int t = 0; t < tasks; t++)")
                .addStatement("executor.execute(this)")
                .endControlFlow()
                .nextControlFlow("catch ($T e)", RejectedExecutionException.class)
                .addComment("a shut-down or saturated executor: the calling thread takes those shares")
                .endControlFlow()
                .build();
    }

    private static MethodSpec run() {
        return MethodSpec.methodBuilder("run")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .beginControlFlow("for (int group = next.getAndIncrement(); group < groups; group = next.getAndIncrement())")
                .addStatement("int first = group * size")
                .addStatement("$T thrown = null", Throwable.class)
                .beginControlFlow("try")
                .addStatement("net.predictRange(images, first, Math.min(size, count - first), outputs)")
                .nextControlFlow("catch ($T t)", Throwable.class)
                .addComment("ends the group all the same, so that the caller wakes up and rethrows it")
                .addStatement("thrown = t")
                .endControlFlow()
                .addStatement("finished(thrown)")
                .endControlFlow()
                .build();
    }

    private static MethodSpec finished() {
        return MethodSpec.methodBuilder("finished")
                .addModifiers(Modifier.PRIVATE, Modifier.SYNCHRONIZED)
                .addParameter(Throwable.class, "thrown")
                .beginControlFlow("if (failure == null)")
                .addStatement("failure = thrown")
                .endControlFlow()
                .beginControlFlow("if (++finished == groups)")
                .addStatement("done = true")
                .addStatement("notifyAll()")
                .endControlFlow()
                .build();
    }

    private static MethodSpec await() {
        return MethodSpec.methodBuilder("await")
                .addJavadoc("Waits for every group, then rethrows the first failure: polls for up to $L ms (the other\n"
                        + "threads' last groups end within about one group's time, and a thread woken from {@code wait}\n"
                        + "started 50-185 us late on a 2-vCPU VM), then waits.\n", SPIN_MILLIS)
                .addStatement("long start = System.nanoTime()")
                .beginControlFlow("while (!done && System.nanoTime() - start < $LL)", SPIN_MILLIS * 1_000_000L)
                .addComment("poll")
                .endControlFlow()
                .addStatement("awaitAll()")
                .build();
    }

    private static MethodSpec awaitAll() {
        return MethodSpec.methodBuilder("awaitAll")
                .addModifiers(Modifier.PRIVATE, Modifier.SYNCHRONIZED)
                .addJavadoc("Waits for every group, then rethrows the first failure. An interrupt does not cut the wait\n"
                        + "short (no output may change after the call returns; at most one group per thread is still\n"
                        + "running) and is kept for the caller.\n")
                .addCode(UninterruptibleWait.loop("finished < groups", "wait()"))
                .beginControlFlow("if (failure instanceof RuntimeException)")
                .addStatement("throw (RuntimeException) failure")
                .endControlFlow()
                .beginControlFlow("if (failure instanceof Error)")
                .addStatement("throw (Error) failure")
                .endControlFlow()
                .beginControlFlow("if (failure != null)")
                .addStatement("throw new $T(failure)", IllegalStateException.class)
                .endControlFlow()
                .build();
    }
}
