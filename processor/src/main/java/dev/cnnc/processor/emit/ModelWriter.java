package dev.cnnc.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.cnnc.processor.model.LayerModel;
import dev.cnnc.processor.model.NetworkModel;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code <Name>Model}: the trainable network. Forward runs {@code <Name>Inference}'s static
 * layer methods; backward is emitted here, one method per layer, in reverse order.
 */
final class ModelWriter {
    private final GenerationContext context;
    private final NetworkModel network;
    private final Pipeline pipeline;
    private final ClassName buffers;

    ModelWriter(GenerationContext context) {
        this.context = context;
        this.network = context.network();
        this.pipeline = new Pipeline(network);
        this.buffers = context.modelClass().nestedClass("Buffers");
    }

    TypeSpec build(Element origin) {
        TypeSpec.Builder type = TypeSpec.classBuilder(context.modelClass())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(ClassNames.TRAINABLE_MODEL)
                .addOriginatingElement(origin)
                .addJavadoc(context.header("The trainable form of {@code " + network.simpleName() + "}: "
                        + "forward, softmax cross-entropy loss and its gradient.\n\n"
                        + "<p>Parameters live in one flat array ({@link #parameters()}) in PyTorch state_dict order and\n"
                        + "layout. The model may be shared between threads as long as each passes its own\n"
                        + "{@link Buffers} ({@link #newWorkspace()}); the overloads without a workspace use one per\n"
                        + "thread. Nothing is allocated per call."));
        context.addGenerated(type);
        ShapeConstants.add(type, network);
        type.addField(tensorsField());
        type.addField(FieldSpec.builder(float[].class, "parameters", Modifier.PRIVATE, Modifier.FINAL).build());
        TypeName threadLocal = ParameterizedTypeName.get(ClassNames.THREAD_LOCAL, buffers);
        type.addField(FieldSpec.builder(threadLocal, "local", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("$L", TypeSpec.anonymousClassBuilder("")
                        .superclass(threadLocal)
                        .addMethod(MethodSpec.methodBuilder("initialValue")
                                .addAnnotation(Override.class)
                                .addModifiers(Modifier.PROTECTED)
                                .returns(buffers)
                                .addStatement("return new $T()", buffers)
                                .build())
                        .build())
                .build());
        type.addType(buffersType());
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("A model with all parameters zero; initialize them before training.\n")
                .addStatement("this.parameters = new float[PARAMS]")
                .build());
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("A model starting from a copy of {@code parameters} (PyTorch state_dict order and layout).\n")
                .addParameter(float[].class, "parameters")
                .addStatement("$T.checkLength($S, parameters, PARAMS)", context.inferenceClass(), "parameters")
                .addStatement("this.parameters = parameters.clone()")
                .build());
        addAccessors(type);
        type.addMethod(forwardWithWorkspace());
        type.addMethod(forwardSimple());
        type.addMethod(forwardBatch());
        type.addMethod(runForward());
        type.addMethod(gradientWithWorkspace());
        type.addMethod(gradientWithOutput());
        type.addMethod(gradients());
        type.addMethod(gradientsReusingWeights());
        type.addMethod(checkSample());
        type.addMethod(backward());
        type.addMethod(gradientSimple());
        type.addMethod(gradientBatch());
        type.addMethod(MethodSpec.methodBuilder("toInference")
                .addModifiers(Modifier.PUBLIC)
                .returns(context.inferenceClass())
                .addJavadoc("A standalone inference object with a copy of the current parameters.\n")
                .addStatement("return new $T(parameters)", context.inferenceClass())
                .build());
        type.addMethod(MethodSpec.methodBuilder("buffers")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(buffers)
                .addParameter(ClassNames.WORKSPACE, "workspace")
                .beginControlFlow("if (!(workspace instanceof $T))", buffers)
                .addStatement("throw new $T($S + workspace)", IllegalArgumentException.class,
                        "not a workspace of " + context.modelClass().simpleName() + ": ")
                .endControlFlow()
                .addStatement("return ($T) workspace", buffers)
                .build());
        for (int i = pipeline.size() - 1; i >= pipeline.firstTrainable(); i--) {
            type.addMethod(pipeline.emitters().get(i).backward(i > pipeline.firstTrainable()));
        }
        return type.build();
    }

    private FieldSpec tensorsField() {
        CodeBlock.Builder tensors = CodeBlock.builder().add("{\n").indent();
        for (LayerModel layer : network.layers()) {
            if (layer instanceof LayerModel.ConvLayer conv) {
                int in = conv.input().channels();
                int k = conv.kernel();
                tensors.add("new $T($S, new int[] {$L, $L, $L, $L}, $L, $L, $L, false),\n", ClassNames.PARAMETER_TENSOR,
                        conv.name() + ".weight", conv.filters(), in, k, k, conv.paramOffset(), in * k * k,
                        conv.filters() * k * k);
                tensors.add("new $T($S, new int[] {$L}, $L, $L, $L, true),\n", ClassNames.PARAMETER_TENSOR,
                        conv.name() + ".bias", conv.filters(), conv.biasOffset(), in * k * k, conv.filters() * k * k);
            } else if (layer instanceof LayerModel.DenseLayer dense) {
                tensors.add("new $T($S, new int[] {$L, $L}, $L, $L, $L, false),\n", ClassNames.PARAMETER_TENSOR,
                        dense.name() + ".weight", dense.units(), dense.inputs(), dense.paramOffset(), dense.inputs(),
                        dense.units());
                tensors.add("new $T($S, new int[] {$L}, $L, $L, $L, true),\n", ClassNames.PARAMETER_TENSOR,
                        dense.name() + ".bias", dense.units(), dense.biasOffset(), dense.inputs(), dense.units());
            }
        }
        tensors.unindent().add("}");
        return FieldSpec.builder(ArrayTypeName.of(ClassNames.PARAMETER_TENSOR), "TENSORS", Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                .initializer(tensors.build())
                .build();
    }

    private TypeSpec buffersType() {
        TypeSpec.Builder type = TypeSpec.classBuilder(buffers)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(ClassNames.WORKSPACE)
                .addJavadoc("Every activation and gradient of one forward and backward pass, for one thread.\n");
        type.addField(FieldSpec.builder(float[].class, "input", Modifier.FINAL)
                .initializer("new float[$L]", network.input().size())
                .addJavadoc("$L\n", network.input())
                .build());
        ClassName scratch = context.inferenceClass().nestedClass("Scratch");
        AlignedRows rows = new AlignedRows(context.inferenceClass());
        type.addField(FieldSpec.builder(scratch, "forward", Modifier.FINAL)
                .initializer("new $T()", scratch)
                .addJavadoc("The forward pass's outputs and scratch, as the inference class lays them out.\n")
                .build());
        type.addField(FieldSpec.builder(float[][][].class, "columns", Modifier.FINAL)
                .initializer("$T.newColumns()", context.inferenceClass())
                .addJavadoc("The dense layers' weights transposed, filled by a {@code gradients} call unless it may\n"
                        + "reuse them.\n")
                .build());
        type.addField(FieldSpec.builder(boolean.class, "columnsFilled")
                .addJavadoc("Whether {@code columns} holds some parameters' transposed weights: a call that may reuse\n"
                        + "them fills them first if not.\n")
                .build());
        for (int i = 0; i < pipeline.size(); i++) {
            LayerEmitter emitter = pipeline.emitters().get(i);
            LayerModel layer = emitter.layer();
            if (i >= pipeline.firstTrainable() || i == pipeline.size() - 1) { // the loss writes the last
                type.addField(FieldSpec.builder(float[].class, pipeline.gradient(i), Modifier.FINAL)
                        .initializer("new float[$L]", layer.output().size())
                        .addJavadoc("dL/d($L output)\n", layer.name())
                        .build());
            }
            if (i >= pipeline.firstTrainable()) {
                for (ScratchBuffer buffer : emitter.backwardScratch(i > pipeline.firstTrainable())) {
                    rows.addField(type, buffer);
                }
            }
        }
        if (pipeline.endsWithSoftmax()) {
            type.addField(FieldSpec.builder(float[].class, "probabilities", Modifier.FINAL)
                    .initializer("new float[$L]", network.output().size())
                    .build());
        }
        type.addMethod(rows.constructor(Modifier.PUBLIC));
        return type.build();
    }

    private void addAccessors(TypeSpec.Builder type) {
        type.addMethod(override("name", String.class).addStatement("return $S", network.simpleName()).build());
        type.addMethod(override("fingerprint", long.class).addStatement("return FINGERPRINT").build());
        type.addMethod(override("architecture", String.class).addStatement("return ARCHITECTURE").build());
        type.addMethod(override("summary", String.class).addStatement("return SUMMARY").build());
        type.addMethod(override("parameterCount", int.class).addStatement("return PARAMS").build());
        type.addMethod(override("inputSize", int.class).addStatement("return INPUT_SIZE").build());
        type.addMethod(override("outputSize", int.class).addStatement("return OUTPUT_SIZE").build());
        type.addMethod(override("parameters", float[].class).addStatement("return parameters").build());
        type.addMethod(override("tensors", ArrayTypeName.of(ClassNames.PARAMETER_TENSOR))
                .addStatement("return TENSORS.clone()").build());
        type.addMethod(override("newWorkspace", ClassNames.WORKSPACE).addStatement("return new $T()", buffers).build());
        type.addMethod(override("outputsProbabilities", boolean.class)
                .addStatement("return $L", pipeline.endsWithSoftmax()).build());
    }

    private static MethodSpec.Builder override(String name, Class<?> returns) {
        return override(name, TypeName.get(returns));
    }

    private static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(returns);
    }

    private MethodSpec forwardWithWorkspace() {
        return override("forward", void.class)
                .addParameter(ClassNames.WORKSPACE, "workspace")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "imageOffset")
                .addParameter(float[].class, "output")
                .addParameter(int.class, "outputOffset")
                .addStatement("$T b = buffers(workspace)", buffers)
                .addStatement("$T.checkRange($S, images, imageOffset, INPUT_SIZE)", inference(), "image")
                .addStatement("$T.checkRange($S, output, outputOffset, OUTPUT_SIZE)", inference(), "output")
                .addStatement("runForward(b, images, imageOffset, null)")
                .addStatement("$T.arraycopy($N, 0, output, outputOffset, OUTPUT_SIZE)", System.class,
                        "b." + resultBuffer())
                .build();
    }

    private ClassName inference() {
        return context.inferenceClass();
    }

    private String resultBuffer() {
        return pipeline.endsWithSoftmax() ? "probabilities" : "forward." + pipeline.output(pipeline.size() - 1);
    }

    /** Where layer {@code index}'s output lives in a Buffers {@code b}; index -1 is the input copy. */
    private String activation(int index) {
        return index < 0 ? "b.input" : "b.forward." + pipeline.output(index);
    }

    private MethodSpec forwardSimple() {
        return MethodSpec.methodBuilder("forward")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Forward of one image ({@link #INPUT_SIZE} floats, " + network.input().chw()
                        + ") into {@code output} ({@link #OUTPUT_SIZE} floats), with this thread's workspace.\n")
                .addParameter(float[].class, "input")
                .addParameter(float[].class, "output")
                .addStatement("$T.checkLength($S, input, INPUT_SIZE)", inference(), "input")
                .addStatement("forward(local.get(), input, 0, output, 0)")
                .build();
    }

    private MethodSpec forwardBatch() {
        return MethodSpec.methodBuilder("forwardBatch")
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Forward of {@code count} consecutive images into consecutive outputs, on this thread.\n")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "count")
                .addParameter(float[].class, "outputs")
                .addStatement("$T.checkBatch($S, images, count, INPUT_SIZE)", inference(), "images")
                .addStatement("$T.checkBatch($S, outputs, count, OUTPUT_SIZE)", inference(), "outputs")
                .addStatement("$T b = local.get()", buffers)
                .beginControlFlow("for (int n = 0; n < count; n++)")
                .addStatement("forward(b, images, n * INPUT_SIZE, outputs, n * OUTPUT_SIZE)")
                .endControlFlow()
                .build();
    }

    /**
     * Copies the image into the workspace and runs every layer; SOFTMAX turns the logits into
     * probabilities. With {@code columns} null the dense layers read W from the parameters by rows
     * (they may have changed since any transposition); both forms give the same bits.
     */
    private MethodSpec runForward() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("runForward")
                .addModifiers(Modifier.PRIVATE)
                .addParameter(buffers, "b")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "imageOffset")
                .addParameter(float[][][].class, "columns")
                .addStatement("$T.arraycopy(images, imageOffset, b.input, 0, INPUT_SIZE)", System.class)
                .addStatement("$T.forward(parameters, columns, b.input, b.forward)", inference());
        if (pipeline.endsWithSoftmax()) {
            method.addStatement("$T.softmax($L, b.probabilities)", inference(), activation(pipeline.size() - 1));
        }
        return method.build();
    }

    private MethodSpec gradientWithWorkspace() {
        return override("gradient", float.class)
                .addParameter(ClassNames.WORKSPACE, "workspace")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "imageOffset")
                .addParameter(int.class, "label")
                .addParameter(float[].class, "grad")
                .addStatement("$T b = buffers(workspace)", buffers)
                .addStatement("checkSample(images, imageOffset, label, grad)")
                .addStatement("runForward(b, images, imageOffset, null)")
                .addStatement("return backward(b, label, grad)")
                .build();
    }

    /** The trainer's form: the gradient plus the outputs of the same forward pass (for its accuracy). */
    private MethodSpec gradientWithOutput() {
        return override("gradient", float.class)
                .addParameter(ClassNames.WORKSPACE, "workspace")
                .addParameter(float[].class, "images")
                .addParameter(int.class, "imageOffset")
                .addParameter(int.class, "label")
                .addParameter(float[].class, "grad")
                .addParameter(float[].class, "output")
                .addParameter(int.class, "outputOffset")
                .addStatement("$T b = buffers(workspace)", buffers)
                .addStatement("checkSample(images, imageOffset, label, grad)")
                .addStatement("$T.checkRange($S, output, outputOffset, OUTPUT_SIZE)", inference(), "output")
                .addStatement("runForward(b, images, imageOffset, null)")
                .addStatement("$T.arraycopy($N, 0, output, outputOffset, OUTPUT_SIZE)", System.class,
                        "b." + resultBuffer())
                .addStatement("return backward(b, label, grad)")
                .build();
    }

    /** The form for a run of samples that always transposes the dense weights first. */
    private MethodSpec gradients() {
        return gradientsSignature(override("gradients", double.class))
                .addStatement("return gradients(workspace, images, labels, samples, from, to, grad, outputs, false)")
                .build();
    }

    /**
     * As {@link #gradients()}, reusing the workspace's transposed weights when the caller vouches that
     * the parameters have not changed since it filled them (a trainer's worker after its first run of
     * a batch).
     */
    private MethodSpec gradientsReusingWeights() {
        return gradientsSignature(override("gradients", double.class))
                .addParameter(boolean.class, "weightsUnchanged")
                .addStatement("$T b = buffers(workspace)", buffers)
                .addStatement("$T.check(this, images, labels, samples, from, to, grad, outputs)",
                        ClassNames.GRADIENT_ARGUMENTS)
                .beginControlFlow("if (!weightsUnchanged || !b.columnsFilled)")
                .addCode(transposeDenseWeights("run and the runs that reuse them"))
                .addStatement("b.columnsFilled = true")
                .endControlFlow()
                .addStatement("double loss = 0")
                .beginControlFlow("for (int k = from; k < to; k++)")
                .addStatement("int sample = samples[k]")
                .addStatement("runForward(b, images, sample * INPUT_SIZE, b.columns)")
                .addStatement("$T.arraycopy($N, 0, outputs, (k - from) * OUTPUT_SIZE, OUTPUT_SIZE)", System.class,
                        "b." + resultBuffer())
                .addStatement("loss += backward(b, labels[sample], grad)")
                .endControlFlow()
                .addStatement("return loss")
                .build();
    }

    private static MethodSpec.Builder gradientsSignature(MethodSpec.Builder method) {
        return method.addParameter(ClassNames.WORKSPACE, "workspace")
                .addParameter(float[].class, "images")
                .addParameter(int[].class, "labels")
                .addParameter(int[].class, "samples")
                .addParameter(int.class, "from")
                .addParameter(int.class, "to")
                .addParameter(float[].class, "grad")
                .addParameter(float[].class, "outputs");
    }

    /**
     * Fills {@code b.columns} from the current parameters, for the samples of one call: the dense
     * layers' column form then runs on them (the same bits as reading W by rows).
     */
    private CodeBlock transposeDenseWeights(String samples) {
        return CodeBlock.builder()
                .add("// the dense layers' weights transposed once for the $L: their vector form reads W by columns\n", samples)
                .addStatement("$T.columns(parameters, b.columns)", inference())
                .build();
    }

    private MethodSpec checkSample() {
        return MethodSpec.methodBuilder("checkSample")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(float[].class, "images")
                .addParameter(int.class, "imageOffset")
                .addParameter(int.class, "label")
                .addParameter(float[].class, "grad")
                .addStatement("$T.checkRange($S, images, imageOffset, INPUT_SIZE)", inference(), "image")
                .addStatement("$T.checkLength($S, grad, PARAMS)", inference(), "grad")
                .beginControlFlow("if (label < 0 || label >= OUTPUT_SIZE)")
                .addStatement("throw new $T($S + label + $S)", IllegalArgumentException.class, "label ",
                        " is outside [0, " + network.output().size() + ")")
                .endControlFlow()
                .build();
    }

    /** Loss of the forward pass in {@code b}, then every layer's backward, last to first. */
    private MethodSpec backward() {
        int last = pipeline.size() - 1;
        MethodSpec.Builder method = MethodSpec.methodBuilder("backward")
                .addModifiers(Modifier.PRIVATE)
                .returns(float.class)
                .addParameter(buffers, "b")
                .addParameter(int.class, "label")
                .addParameter(float[].class, "grad")
                .addComment(pipeline.endsWithSoftmax()
                        ? "dL/dz of the SOFTMAX layer: softmax(z) - onehot(label)"
                        : "the last layer's outputs are the logits: dL/dy = softmax(y) - onehot(label)")
                .addStatement("float loss = $T.crossEntropy($L, label, b.$N)", inference(), activation(last),
                        pipeline.gradient(last));
        for (int i = last; i >= pipeline.firstTrainable(); i--) {
            LayerEmitter emitter = pipeline.emitters().get(i);
            boolean inputGradient = i > pipeline.firstTrainable();
            CodeBlock.Builder call = CodeBlock.builder().add("$N(", emitter.backwardName());
            if (emitter.hasParameters()) {
                call.add("parameters, grad, ");
            }
            call.add("$L, $L, b.$N", activation(i - 1), activation(i), pipeline.gradient(i));
            if (inputGradient) {
                call.add(", b.$N", pipeline.gradient(i - 1));
            }
            for (ScratchBuffer buffer : emitter.forwardScratchReadBack()) {
                call.add(", b.forward.$N", buffer.name());
            }
            for (ScratchBuffer buffer : emitter.backwardScratch(inputGradient)) {
                call.add(", b.$N", buffer.name());
            }
            method.addStatement(call.add(")").build());
        }
        return method.addStatement("return loss").build();
    }

    private MethodSpec gradientSimple() {
        return MethodSpec.methodBuilder("gradient")
                .addModifiers(Modifier.PUBLIC)
                .returns(float.class)
                .addJavadoc("Softmax cross-entropy loss of one sample; adds dLoss/dParameters into {@code grad}\n"
                        + "({@link #PARAMS} floats, same layout as {@link #parameters()}). Uses this thread's workspace.\n")
                .addParameter(float[].class, "input")
                .addParameter(int.class, "label")
                .addParameter(float[].class, "grad")
                .addStatement("$T.checkLength($S, input, INPUT_SIZE)", inference(), "input")
                .addStatement("return gradient(local.get(), input, 0, label, grad)")
                .build();
    }

    private MethodSpec gradientBatch() {
        return MethodSpec.methodBuilder("gradientBatch")
                .addModifiers(Modifier.PUBLIC)
                .returns(float.class)
                .addJavadoc("Adds the gradients of {@code count} consecutive samples into {@code grad}, in order, on this\n"
                        + "thread; returns the sum of their losses.\n")
                .addParameter(float[].class, "images")
                .addParameter(int[].class, "labels")
                .addParameter(int.class, "count")
                .addParameter(float[].class, "grad")
                .addComment("everything is checked before the first gradient is added: a bad sample leaves grad as it was")
                .addStatement("$T.checkBatch($S, images, count, INPUT_SIZE)", inference(), "images")
                .addStatement("$T.checkLength($S, grad, PARAMS)", inference(), "grad")
                .beginControlFlow("if (labels == null)")
                .addStatement("throw new $T($S)", NullPointerException.class, "labels is null")
                .endControlFlow()
                .beginControlFlow("if (labels.length < count)")
                .addStatement("throw new $T($S + labels.length + $S + count)", IllegalArgumentException.class,
                        network.simpleName() + ": labels holds ", " labels, but count is ")
                .endControlFlow()
                .beginControlFlow("for (int n = 0; n < count; n++)")
                .beginControlFlow("if (labels[n] < 0 || labels[n] >= OUTPUT_SIZE)")
                .addStatement("throw new $T($S + n + $S + labels[n] + $S)", IllegalArgumentException.class,
                        network.simpleName() + ": labels[", "] = ", " is outside [0, " + network.output().size() + ")")
                .endControlFlow()
                .endControlFlow()
                .addStatement("$T b = local.get()", buffers)
                .addCode(transposeDenseWeights("batch"))
                .addStatement("float loss = 0f")
                .beginControlFlow("for (int n = 0; n < count; n++)")
                .addStatement("runForward(b, images, n * INPUT_SIZE, b.columns)")
                .addStatement("loss += backward(b, labels[n], grad)")
                .endControlFlow()
                .addStatement("return loss")
                .build();
    }
}
