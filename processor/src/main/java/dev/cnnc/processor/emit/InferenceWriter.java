package dev.cnnc.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.processor.model.NetworkModel;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code <Name>Inference}: the standalone forward pass. It imports nothing outside
 * {@code java.*} and compiles at {@code --release 8}. Its static layer methods are also what
 * {@code <Name>Model} runs forward, so both agree bit for bit.
 */
final class InferenceWriter {
    private final GenerationContext context;
    private final NetworkModel network;
    private final Pipeline pipeline;

    InferenceWriter(GenerationContext context) {
        this.context = context;
        this.network = context.network();
        this.pipeline = new Pipeline(network);
    }

    TypeSpec build(Element origin) {
        TypeSpec.Builder type = TypeSpec.classBuilder(context.inferenceClass())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addOriginatingElement(origin)
                .addJavadoc(context.header("Runs {@code " + network.simpleName() + "} forward with fixed parameters; "
                        + "needs nothing but {@code java.base}.\n\n"
                        + "<p>Immutable after construction and safe to share between threads: each thread gets its own\n"
                        + "scratch buffers (one set per thread, allocated on its first call). Inputs are\n"
                        + "{@code " + network.input().chw() + "} floats; NaN or infinite inputs are not rejected and\n"
                        + "propagate to the outputs, as in PyTorch."));
        // No @Generated here: the class must compile alone at --release 8, where it does not exist.
        ShapeConstants.add(type, network);
        type.addField(FieldSpec.builder(float[].class, "parameters", Modifier.PRIVATE, Modifier.FINAL).build());
        type.addField(FieldSpec.builder(float[][][].class, "columns", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The dense layers' weights transposed ({@link #columns(float[])}), built once: the form\n"
                        + "their forward pass vectorizes.\n")
                .build());
        ClassName scratchType = context.inferenceClass().nestedClass("Scratch");
        TypeName threadLocal = ParameterizedTypeName.get(ClassNames.THREAD_LOCAL, scratchType);
        type.addField(FieldSpec.builder(threadLocal, "scratch", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("$L", TypeSpec.anonymousClassBuilder("")
                        .superclass(threadLocal)
                        .addMethod(MethodSpec.methodBuilder("initialValue")
                                .addAnnotation(Override.class)
                                .addModifiers(Modifier.PROTECTED)
                                .returns(scratchType)
                                .addStatement("return new $T()", scratchType)
                                .build())
                        .build())
                .build());
        type.addMethod(constructor());
        type.addMethod(streamConstructor());
        type.addMethod(predictAllocating());
        type.addMethod(predictInto());
        type.addMethod(classify());
        type.addMethod(parametersCopy());
        ConvLayoutCode layout = new ConvLayoutCode(pipeline, context.inferenceClass());
        BatchInferenceCode batch = new BatchInferenceCode(pipeline, layout, context.inferenceClass());
        batch.addTo(type);
        new ParallelBatchCode(context.inferenceClass(), network.simpleName(), batch.hasLaneKernel()).addTo(type);
        layout.addTo(type);
        if (layout.hasChoice()) {
            type.addMethod(predictWithLayout());
        }
        PlaneStartCode planeStarts = new PlaneStartCode(layout, pipeline, context.inferenceClass());
        planeStarts.addTo(type);
        type.addType(scratchClass(scratchType, batch, layout, planeStarts));
        new TwoThreadCode(pipeline, planeStarts, context.inferenceClass(), network.simpleName()).addTo(type);
        addColumns(type);
        type.addMethod(forwardAll(scratchType, layout, planeStarts));
        if (pipeline.firstDense() < pipeline.size()) {
            type.addMethod(forwardDense(scratchType));
        }
        for (LayerEmitter emitter : pipeline.emitters()) {
            type.addMethod(emitter.forward());
            ConvEmitter variant = layout.variantOf(emitter);
            if (variant != null) {
                type.addMethod(variant.forward());
            }
            if (emitter instanceof DenseEmitter dense) {
                type.addMethod(dense.columns());
                type.addMethod(dense.forwardColumns());
            }
        }
        type.addMethod(SoftmaxCode.softmax((int) network.output().size()));
        type.addMethod(SoftmaxCode.crossEntropy((int) network.output().size()));
        type.addMethod(WeightsReaderCode.readWeights(network));
        type.addMethod(WeightsReaderCode.readInt());
        type.addMethod(WeightsReaderCode.readText());
        type.addMethod(InputChecks.checkLength(network));
        type.addMethod(InputChecks.checkRange(network));
        type.addMethod(InputChecks.checkBatch(network));
        return type.build();
    }

    private MethodSpec constructor() {
        return MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("@param parameters the flat parameters (PyTorch state_dict order and layout), copied\n")
                .addJavadoc("@throws IllegalArgumentException if there are not exactly {@link #PARAMS} of them\n")
                .addParameter(float[].class, "parameters")
                .beginControlFlow("if (parameters == null)")
                .addStatement("throw new $T($S)", NullPointerException.class, "parameters")
                .endControlFlow()
                .beginControlFlow("if (parameters.length != PARAMS)")
                .addStatement("throw new $T($S + PARAMS + $S + parameters.length)", IllegalArgumentException.class,
                        network.simpleName() + " has ", " parameters, got ")
                .endControlFlow()
                .addStatement("this.parameters = parameters.clone()")
                .addStatement("this.columns = columns(this.parameters)")
                .build();
    }

    private MethodSpec streamConstructor() {
        return MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Reads the parameters from a cnnc weights file, as {@code dev.cnnc.runtime.WeightsFile} writes it\n"
                        + "(the stream is read to its end, not closed).\n")
                .addJavadoc("@throws IOException if the stream is not a weights file of this network, is truncated or corrupt\n")
                .addParameter(java.io.InputStream.class, "weights")
                .addException(java.io.IOException.class)
                .addStatement("this.parameters = readWeights(weights)")
                .addStatement("this.columns = columns(this.parameters)")
                .build();
    }

    private MethodSpec predictAllocating() {
        return MethodSpec.methodBuilder("predict")
                .addModifiers(Modifier.PUBLIC)
                .returns(float[].class)
                .addJavadoc("Returns the network's " + network.output().size() + " outputs"
                        + (pipeline.endsWithSoftmax() ? " (class probabilities)" : "") + " for one image.\n")
                .addJavadoc("@param chw {@link #INPUT_SIZE} floats: " + network.input().chw() + "\n")
                .addParameter(float[].class, "chw")
                .addStatement("float[] output = new float[OUTPUT_SIZE]")
                .addStatement("predict(chw, output)")
                .addStatement("return output")
                .build();
    }

    private MethodSpec predictInto() {
        return MethodSpec.methodBuilder("predict")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Writes the network's outputs for one image into {@code output}; allocates nothing.\n"
                        + "NaN and infinite inputs are not checked (that would cost a pass over the image on every\n"
                        + "call): they give unspecified outputs, possibly NaN, and affect no other call.\n")
                .addParameter(float[].class, "chw")
                .addParameter(float[].class, "output")
                .addStatement("checkLength($S, chw, INPUT_SIZE)", "chw")
                .addStatement("checkLength($S, output, OUTPUT_SIZE)", "output")
                .addStatement("Scratch s = scratch.get()")
                .addStatement("forward(parameters, columns, chw, s)")
                .addStatement("finish(s, output, 0)")
                .build();
    }

    private MethodSpec classify() {
        return MethodSpec.methodBuilder("classify")
                .addModifiers(Modifier.PUBLIC)
                .returns(int.class)
                .addJavadoc("Returns the index of the largest output (the predicted class; the first on ties).\n")
                .addParameter(float[].class, "chw")
                .addStatement("float[] output = predict(chw)")
                .addStatement("int best = 0")
                .beginControlFlow("for (int i = 1; i < OUTPUT_SIZE; i++)")
                .addStatement("if (output[i] > output[best]) best = i")
                .endControlFlow()
                .addStatement("return best")
                .build();
    }

    private MethodSpec parametersCopy() {
        return MethodSpec.methodBuilder("parameters")
                .addModifiers(Modifier.PUBLIC)
                .returns(float[].class)
                .addJavadoc("A copy of the flat parameters.\n")
                .addStatement("return parameters.clone()")
                .build();
    }

    /** The tests' way to run either row layout. */
    private MethodSpec predictWithLayout() {
        return MethodSpec.methodBuilder("predict")
                .addJavadoc("{@code predict} with the row layout given (the tests use both).\n")
                .addParameter(float[].class, "chw")
                .addParameter(float[].class, "output")
                .addParameter(boolean.class, "exactRows")
                .addStatement("checkLength($S, chw, INPUT_SIZE)", "chw")
                .addStatement("checkLength($S, output, OUTPUT_SIZE)", "output")
                .addStatement("Scratch s = scratch.get()")
                .addStatement("forward(parameters, columns, chw, s, exactRows)")
                .addStatement("finish(s, output, 0)")
                .build();
    }

    /** One thread's buffers: every layer's output and the layers' own scratch (shifted copies, rows). */
    private TypeSpec scratchClass(ClassName scratchType, BatchInferenceCode batch, ConvLayoutCode layout,
            PlaneStartCode planeStarts) {
        TypeSpec.Builder scratch = TypeSpec.classBuilder(scratchType)
                .addModifiers(Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("One thread's buffers of a forward pass, allocated once.\n");
        AlignedRows rows = new AlignedRows(context.inferenceClass());
        for (int i = 0; i < pipeline.size(); i++) {
            LayerEmitter emitter = pipeline.emitters().get(i);
            rows.addField(scratch, new ScratchBuffer(pipeline.output(i), 0, (int) pipeline.outputSize(i),
                    emitter.layer().name() + " output, " + emitter.layer().output() + " (CHW)"));
            for (ScratchBuffer buffer : emitter.forwardScratch()) {
                rows.addField(scratch, buffer);
            }
            ConvEmitter variant = layout.variantOf(emitter);
            if (variant != null) {
                for (ScratchBuffer buffer : variant.forwardScratch()) {
                    rows.addField(scratch, buffer);
                }
            }
            scratch.addFields(planeStarts.scratchFields(emitter.layer()));
            if (emitter instanceof DenseEmitter dense) {
                rows.addField(scratch, dense.sumsBuffer());
            }
        }
        for (FieldSpec field : batch.scratchFields()) {
            scratch.addField(field);
        }
        return scratch.addMethod(rows.constructor()).build();
    }

    /** {@code static void forwardDense(float[] p, float[][][] columns, float[] in, Scratch s)}: the dense layers, in order. */
    private MethodSpec forwardDense(ClassName scratchType) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("forwardDense")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("The dense layers, from {@code in} (the flat CHW input of the first one) on; the batch\n"
                        + "form runs them per image too.\n")
                .addJavadoc("@param columns as in {@code forward}: transposed weights, or null to read {@code p}\n")
                .addParameter(float[].class, "p")
                .addParameter(float[][][].class, "columns")
                .addParameter(float[].class, "in")
                .addParameter(scratchType, "s");
        int denseIndex = 0;
        for (int i = pipeline.firstDense(); i < pipeline.size(); i++) {
            DenseEmitter dense = (DenseEmitter) pipeline.emitters().get(i);
            String in = i == pipeline.firstDense() ? "in" : "s." + pipeline.output(i - 1);
            method.addComment("$L: $L -> $L", dense.layer().name(), dense.layer().input(), dense.layer().output())
                    .beginControlFlow("if (columns != null)")
                    .addStatement("$N(columns[$L], $L, s.$N, s.$N)", dense.columnsForwardName(), denseIndex++, in,
                            pipeline.output(i), dense.sumsBuffer().name())
                    .nextControlFlow("else")
                    .addStatement("$N(p, $L, s.$N)", dense.forwardName(), in, pipeline.output(i))
                    .endControlFlow();
        }
        return method.build();
    }

    /** {@code columns(p)}, {@code newColumns()} and {@code columns(p, columns)}: every dense layer's transposed weights, in layer order. */
    private void addColumns(TypeSpec.Builder type) {
        CodeBlock.Builder arrays = CodeBlock.builder();
        MethodSpec.Builder fill = MethodSpec.methodBuilder("columns")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Fills {@code columns} ({@link #newColumns()}) with the dense layers' weights in {@code p}, transposed.\n")
                .addParameter(float[].class, "p")
                .addParameter(float[][][].class, "columns");
        CodeBlock.Builder rowsOfEach = CodeBlock.builder();
        AlignedRows rows = new AlignedRows(context.inferenceClass());
        int index = 0;
        for (LayerEmitter emitter : pipeline.emitters()) {
            if (emitter instanceof DenseEmitter dense) {
                arrays.add(arrays.isEmpty() ? "" : ", ").add("new float[$L][]", dense.columnRows());
                rowsOfEach.addStatement(rows.allocate(CodeBlock.of("columns[$L]", index), dense.paddedUnits()));
                fill.addStatement("$N(p, columns[$L])", dense.columnsName(), index++);
            }
        }
        type.addMethod(AlignedRows.helper());
        type.addMethod(MethodSpec.methodBuilder("newColumns")
                .addModifiers(Modifier.STATIC)
                .returns(float[][][].class)
                .addJavadoc("Room for the dense layers' transposed weights, in layer order, each layer's rows allocated\n"
                        + "back to back (see {@code $N}).\n", AlignedRows.HELPER)
                .addStatement("float[][][] columns = new float[][][] {$L}", arrays.build())
                .addCode(rowsOfEach.build())
                .addStatement("return columns")
                .build());
        type.addMethod(fill.build());
        type.addMethod(MethodSpec.methodBuilder("columns")
                .addModifiers(Modifier.STATIC)
                .returns(float[][][].class)
                .addJavadoc("The dense layers' weights transposed, in layer order (what {@code forward} takes).\n")
                .addParameter(float[].class, "p")
                .addStatement("float[][][] columns = newColumns()")
                .addStatement("columns(p, columns)")
                .addStatement("return columns")
                .build());
    }

    /**
     * {@code static void forward(float[] p, float[][][] columns, float[] input, Scratch s)}: every layer
     * in order; with a row layout to choose, {@code forward(..., boolean exactRows)}, which the tuned
     * four-argument form calls.
     */
    private MethodSpec forwardAll(ClassName scratchType, ConvLayoutCode layout, PlaneStartCode planeStarts) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.STATIC)
                .addJavadoc("Runs every layer: input " + network.input() + " -> " + network.output()
                        + (pipeline.endsWithSoftmax() ? " logits (softmax is applied by the caller)" : "") + ".\n")
                .addJavadoc("@param columns the dense layers' transposed weights ({@link #columns(float[])}), or null to\n"
                        + "    read them from {@code p} (the trainable model's weights change every step); both\n"
                        + "    forms give the same bits\n")
                .addParameter(float[].class, "p")
                .addParameter(float[][][].class, "columns")
                .addParameter(float[].class, "input")
                .addParameter(scratchType, "s");
        if (layout.hasChoice()) {
            method.addJavadoc("@param exactRows the stride-1 convolutions' row layout (see {@link #convLayout()})\n")
                    .addParameter(boolean.class, "exactRows");
        }
        for (int i = 0; i < pipeline.firstDense(); i++) {
            LayerEmitter emitter = pipeline.emitters().get(i);
            method.addComment("$L: $L -> $L", emitter.layer().name(), emitter.layer().input(),
                    emitter.layer().output());
            ConvEmitter variant = layout.variantOf(emitter);
            if (variant == null) {
                method.addStatement(forwardCall(emitter, i, planeStarts));
            } else {
                method.beginControlFlow("if (exactRows)")
                        .addStatement(forwardCall(variant, i, planeStarts))
                        .nextControlFlow("else")
                        .addStatement(forwardCall(emitter, i, planeStarts))
                        .endControlFlow();
            }
        }
        if (pipeline.firstDense() < pipeline.size()) {
            method.addStatement("forwardDense(p, columns, $L, s)",
                    pipeline.firstDense() == 0 ? "input" : "s." + pipeline.output(pipeline.firstDense() - 1));
        }
        return method.build();
    }

    /**
     * Layer {@code i} in {@code emitter}'s form: the plane-start dispatcher if the form has two starts
     * ({@code <layer>Forward[Exact]Placed(p, in, out, s)}), else {@code <layer>Forward([p, ]in, out, s.<scratch>...)}.
     */
    private CodeBlock forwardCall(LayerEmitter emitter, int i, PlaneStartCode planeStarts) {
        String in = i == 0 ? "input" : "s." + pipeline.output(i - 1);
        String out = "s." + pipeline.output(i);
        CodeBlock placed = planeStarts.call(emitter, in, out);
        return placed != null ? placed : emitter.forwardCall(in, out, "s");
    }
}
