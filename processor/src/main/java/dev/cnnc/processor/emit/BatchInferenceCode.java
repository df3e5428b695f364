package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The inference class's batch entry, {@code predictBatch}, and its choice of kernel: the
 * {@link LanesEmitter lane form} (16 images side by side) or one image at a time. Both give the
 * same bits; which is faster depends on the JIT (JDK 17's C2 vectorizes the lane loops, JDK 25's
 * does not), and timing code before the JIT has compiled it measures the interpreter. So the class
 * tunes on the user's own work: the first batches of a JVM run in chunks of 64 images that alternate
 * the two kernels, each chunk timed, until each kernel has run 8,192 images; the kernel with the lower
 * best time per image (over its chunks after the first 4,096 images, i.e. compiled code) runs from
 * then on. While the JVM is still choosing its convolutions' row layout ({@link ConvLayoutCode}), the
 * one-by-one chunks are not timed: they alternate both layouts image by image (on JDK 17 the exact
 * rows run 2.5-5x slower), and a first version that timed them kept the lane kernel for
 * FashionLeNet at 87 us per image (JDK 17) although one by one runs 53 once the layout is chosen.
 * Those chunks still run (the one-by-one kernel's turn, which also finishes the layout tuning), so the
 * batch choice comes after the layout's.
 * Nothing is computed twice and no result depends on the choice.
 * {@code -Dcnnc.batchKernel=lanes} or {@code =images} skips the tuning; {@code batchKernel()} says
 * which kernel runs and why.
 */
final class BatchInferenceCode {
    private final Pipeline pipeline;
    private final LanesEmitter lanes;
    private final ClassName lanesType;
    private final ClassName scratchType;
    /** Whether the class tunes a row layout ({@link ConvLayoutCode#hasChoice()}). */
    private final boolean layoutTuned;

    BatchInferenceCode(Pipeline pipeline, ConvLayoutCode layout, ClassName inferenceType) {
        this.pipeline = pipeline;
        this.layoutTuned = layout.hasChoice();
        this.lanes = new LanesEmitter(pipeline);
        this.lanesType = inferenceType.nestedClass("Lanes");
        this.scratchType = inferenceType.nestedClass("Scratch");
    }

    /** Adds the batch entry, the kernel choice and (when the network has one) the lane form to {@code type}. */
    void addTo(TypeSpec.Builder type) {
        type.addMethod(predictBatch());
        type.addMethod(predictRange());
        type.addMethod(predictBatchWith());
        type.addMethod(batchKernel());
        type.addMethod(finish());
        if (lanes.available()) {
            SETTING.addState(type);
            type.addField(FieldSpec.builder(long[].class, "tunedImages", Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer("new long[2]")
                    .addJavadoc("Images each kernel (0 lanes, 1 images) has run while tuning; guarded by the lock.\n").build());
            type.addField(FieldSpec.builder(long[].class, "bestNanosPerImage", Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer("{Long.MAX_VALUE, Long.MAX_VALUE}")
                    .addJavadoc("Each kernel's best chunk after its first $L images; guarded by the lock.\n", WARM_IMAGES).build());
            type.addMethod(SETTING.readMethod());
            type.addMethod(tuneWhileRunning());
            type.addMethod(record());
            type.addType(lanes.lanesClass(lanesType));
            for (MethodSpec method : lanes.methods(lanesType)) {
                type.addMethod(method);
            }
        }
    }

    /** The per-thread fields {@code predictBatch} adds to {@code Scratch}. */
    List<FieldSpec> scratchFields() {
        FieldSpec image = new ScratchBuffer("image", 0, (int) pipeline.outputSize(-1),
                "predictBatch: one image of the batch, copied out").field();
        FieldSpec result = new ScratchBuffer("result", 0, (int) pipeline.outputSize(pipeline.size() - 1),
                "predictBatch: one image's outputs before they are copied into the batch").field();
        if (!lanes.available()) {
            return List.of(image, result);
        }
        return List.of(image, result, FieldSpec.builder(lanesType, "lanes")
                .addJavadoc("predictBatch's lane buffers, made on this thread's first lane batch.\n")
                .build());
    }

    private MethodSpec predictBatch() {
        return MethodSpec.methodBuilder("predictBatch")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Writes the outputs of {@code count} images into {@code outputs}: image {@code n} is\n"
                        + "{@code images[n * INPUT_SIZE ..]} (CHW), its outputs go to {@code outputs[n * OUTPUT_SIZE ..]}.\n"
                        + "The same bits as {@link #predict(float[], float[])} on each image, usually faster: see\n"
                        + "{@link #batchKernel()} (the first few thousand images of a JVM alternate two kernels to find\n"
                        + "the faster one). Runs on the calling thread; the overload with an {@code Executor} spreads\n"
                        + "the images over threads. Safe to call from several threads at once; allocates nothing after\n"
                        + "a thread's first call.\n")
                .addJavadoc("@throws IllegalArgumentException if an array is shorter than {@code count} images or outputs\n")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "count")
                .addParameter(float[].class, "outputs")
                .addStatement("checkBatch($S, images, count, INPUT_SIZE)", "images")
                .addStatement("checkBatch($S, outputs, count, OUTPUT_SIZE)", "outputs")
                .addStatement("predictRange(images, 0, count, outputs)")
                .build();
    }

    /** Whether the network has the lane kernel to choose; without it every batch runs image by image. */
    boolean hasLaneKernel() {
        return lanes.available();
    }

    /** Images {@code first .. first + count - 1} on the chosen kernel, or tuning it; arrays already checked. */
    private MethodSpec predictRange() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("predictRange")
                .addJavadoc("Images {@code first .. first + count - 1} on the kernel this JVM runs (or tunes); the arrays\n"
                        + "are checked.\n")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "first")
                .addParameter(int.class, "count")
                .addParameter(float[].class, "outputs");
        if (!lanes.available()) {
            return method.addStatement("predictBatch(images, first, count, outputs, false)").build();
        }
        return method.addStatement("int choice = batchChoice()")
                .beginControlFlow("if (choice == TUNING && count >= $L)", LanesEmitter.LANES)
                .addStatement("tuneWhileRunning(images, first, count, outputs)")
                .nextControlFlow("else")
                .addStatement("predictBatch(images, first, count, outputs, choice == LANES)")
                .endControlFlow()
                .build();
    }

    /** The batch loop with the kernel given: lane groups of 16, then the rest one by one. */
    private MethodSpec predictBatchWith() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("predictBatch")
                .addJavadoc("Images {@code first .. first + count - 1} with the kernel given (the tuning and the tests use both).\n")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "first")
                .addParameter(int.class, "count")
                .addParameter(float[].class, "outputs")
                .addParameter(boolean.class, "lanes")
                .addStatement("Scratch s = scratch.get()")
                .addStatement("int end = first + count")
                .addStatement("int n = first");
        if (lanes.available()) {
            method.beginControlFlow("if (lanes)")
                    .beginControlFlow("if (s.lanes == null)")
                    .addStatement("s.lanes = new Lanes()")
                    .endControlFlow()
                    .beginControlFlow("for (; n + $L <= end; n += $L)", LanesEmitter.LANES, LanesEmitter.LANES)
                    .addStatement("forwardLanes(parameters, images, n, s.lanes)")
                    .beginControlFlow("for (int k = 0; k < $L; k++)", LanesEmitter.LANES)
                    .addStatement("deinterleave(s.lanes.$N, k, s.$N)", lanes.lastSpatialOutput(), lanes.lastSpatialOutput());
            if (lanes.hasDenseTail()) {
                method.addStatement("forwardDense(parameters, columns, s.$N, s)", lanes.lastSpatialOutput());
            }
            method.addStatement("finish(s, outputs, (n + k) * OUTPUT_SIZE)")
                    .endControlFlow()
                    .endControlFlow()
                    .endControlFlow();
        }
        return method.beginControlFlow("for (; n < end; n++)")
                .addStatement("$T.arraycopy(images, n * INPUT_SIZE, s.image, 0, INPUT_SIZE)", System.class)
                .addStatement("forward(parameters, columns, s.image, s)")
                .addStatement("finish(s, outputs, n * OUTPUT_SIZE)")
                .endControlFlow()
                .build();
    }

    /** Softmax (or a copy) of the last layer's output into the caller's outputs; {@code predict} uses it too. */
    private MethodSpec finish() {
        String last = pipeline.output(pipeline.size() - 1);
        MethodSpec.Builder method = MethodSpec.methodBuilder("finish")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("One image's outputs, as {@code predict} returns them, into {@code outputs} at {@code at}.\n")
                .addParameter(scratchType, "s")
                .addParameter(float[].class, "outputs")
                .addParameter(int.class, "at");
        if (pipeline.endsWithSoftmax()) {
            method.addStatement("softmax(s.$N, s.result)", last)
                    .addStatement("$T.arraycopy(s.result, 0, outputs, at, OUTPUT_SIZE)", System.class);
        } else {
            method.addStatement("$T.arraycopy(s.$N, 0, outputs, at, OUTPUT_SIZE)", System.class, last);
        }
        return method.build();
    }

    private MethodSpec batchKernel() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("batchKernel")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(String.class)
                .addJavadoc("How {@link #predictBatch} runs in this JVM and why: {@code \"lanes\"} (16 images side by side in the\n"
                        + "vector lanes) or {@code \"images\"} (one at a time), followed by the reason (the timing, the\n"
                        + "{@code cnnc.batchKernel} setting, or why this network has no lane form), or how far the\n"
                        + "tuning has got.\n")
                .addJavadoc("@throws IllegalArgumentException if {@code -Dcnnc.batchKernel} is not tune, lanes or images\n");
        if (lanes.available()) {
            return method.addCode(SETTING.reportBody("tunedImages",
                    "tuning: the first batches alternate both kernels (%s images on lanes, %s one by one so far)"))
                    .build();
        }
        return method.addStatement("return $S", "images (no lane form: " + lanes.unavailableReason() + ")").build();
    }

    /** Images per kernel before its chunk times count (the JIT compiles meanwhile). */
    private static final int WARM_IMAGES = 4096;
    /** Images per kernel after which the tuning decides (if it has also run long enough, {@link TunedSetting}). */
    private static final int DECIDE_IMAGES = 8192;
    /** Images per timed chunk while tuning: four lane groups. */
    private static final int CHUNK = 4 * LanesEmitter.LANES;

    /** Reads {@code -Dcnnc.batchKernel} on first use: tune (the default), lanes or images. */
    private static final TunedSetting SETTING = new TunedSetting("batchChoice", "BATCH_KERNEL_LOCK",
            "batchKernel", "cnnc.batchKernel", "UNSET", "TUNING", new String[] {"lanes", "LANES"},
            new String[] {"images", "IMAGES"}, true);

    /**
     * While tuning: the batch in timed chunks, each on the kernel that has run fewer images so far (one
     * by one untimed while the row layout is still being tuned).
     */
    private MethodSpec tuneWhileRunning() {
        CodeBlock record = layoutTuned
                ? CodeBlock.builder()
                        .add("// one by one, a chunk alternates both row layouts until the layout is chosen: not a\n")
                        .add("// time of the kernel; its turn comes again until it has a timed one\n")
                        .beginControlFlow("if (lanes || layoutChoice() != LAYOUT_TUNING)")
                        .addStatement("record(lanes, n, System.nanoTime() - start)")
                        .endControlFlow()
                        .build()
                : CodeBlock.of("record(lanes, n, System.nanoTime() - start);\n");
        return MethodSpec.methodBuilder("tuneWhileRunning")
                .addModifiers(Modifier.PRIVATE)
                .addJavadoc("Images {@code first .. first + count - 1} in chunks of up to $L (whole lane groups), each\n"
                        + "timed on the kernel that has run fewer images so far; a last part of fewer than 16 runs one\n"
                        + "by one, untimed.\n", CHUNK)
                .addParameter(float[].class, "images")
                .addParameter(int.class, "first")
                .addParameter(int.class, "count")
                .addParameter(float[].class, "outputs")
                .addStatement("int end = first + count")
                .beginControlFlow("while (first < end)")
                .addComment("whole lane groups only, so each timed chunk runs entirely on its kernel")
                .addStatement("int n = Math.min($L, end - first) / $L * $L", CHUNK, LanesEmitter.LANES, LanesEmitter.LANES)
                .beginControlFlow("if (n == 0)")
                .addStatement("predictBatch(images, first, end - first, outputs, false)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("int choice = batchChoice")
                .beginControlFlow("if (choice != TUNING)")
                .addStatement("predictBatch(images, first, end - first, outputs, choice == LANES)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("boolean lanes")
                .beginControlFlow("synchronized (BATCH_KERNEL_LOCK)")
                .addStatement("lanes = tunedImages[0] <= tunedImages[1]")
                .endControlFlow()
                .addStatement("long start = System.nanoTime()")
                .addStatement("predictBatch(images, first, n, outputs, lanes)")
                .addCode(record)
                .addStatement("first += n")
                .endControlFlow()
                .build();
    }

    /**
     * Adds one timed chunk; decides once both kernels have run {@link #DECIDE_IMAGES} images and the tuning
     * has run {@value TunedSetting#SHORTEST_TUNING_SECONDS} s.
     */
    private MethodSpec record() {
        return MethodSpec.methodBuilder("record")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(boolean.class, "lanes")
                .addParameter(int.class, "images")
                .addParameter(long.class, "nanos")
                .beginControlFlow("synchronized (BATCH_KERNEL_LOCK)")
                .beginControlFlow("if (batchChoice != TUNING)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("int k = lanes ? 0 : 1")
                .beginControlFlow("if (tunedImages[k] >= $L)", WARM_IMAGES)
                .addStatement("bestNanosPerImage[k] = Math.min(bestNanosPerImage[k], nanos / images)")
                .endControlFlow()
                .addStatement("tunedImages[k] += images")
                .beginControlFlow("if (tunedImages[0] >= $L && tunedImages[1] >= $L && $L)", DECIDE_IMAGES, DECIDE_IMAGES,
                        SETTING.tunedLongEnough())
                .addCode(SETTING.decide("bestNanosPerImage", true, "batches", new String[] {"lanes", "one by one"}))
                .endControlFlow()
                .endControlFlow()
                .build();
    }
}
