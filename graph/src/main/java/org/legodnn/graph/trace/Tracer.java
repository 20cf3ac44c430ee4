package org.legodnn.graph.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.nn.Dropout;
import org.legodnn.nn.Flatten;
import org.legodnn.nn.Identity;
import org.legodnn.nn.LeakyReLU;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.ReLU6;
import org.legodnn.nn.Tanh;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;

/**
 * Turns a {@link Module} into a {@link Graph} by running one forward pass and watching it: module calls
 * (through {@link Module#observeCalls}) say which layer each value comes from, and op results (through
 * {@link Tensor#observeOps}) catch the functional ops between layers — the residual add and ReLU of a
 * ResNet block. Layers with hidden settings ({@link LayerNodes}) become one node each; weights keep their
 * state-dict names. The model runs in eval mode on a seeded random input; its mode is restored afterwards.
 */
public final class Tracer implements Module.CallObserver, Tensor.OpObserver {

    /** The graph input's name; the traced graph's output is named {@code output}. */
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";

    private final Map<Module, String> paths = new IdentityHashMap<>();
    private final Map<Tensor, String> stateNames = new IdentityHashMap<>();
    private final Map<Tensor, String> values = new IdentityHashMap<>();
    private final Deque<Module> stack = new ArrayDeque<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> nameCounts = new HashMap<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final java.util.Set<String> usedState = new java.util.HashSet<>();
    private Module layer;
    private Tensor layerInput;

    private Tracer(Module model) {
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            paths.put(e.getValue(), e.getKey());
        }
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            stateNames.put(e.getValue(), e.getKey());
        }
    }

    /** Traces {@code model} on an input of {@code inputShape} (e.g. {@code 1, 3, 224, 224}). */
    public static Graph trace(Module model, int... inputShape) {
        Tracer t = new Tracer(model);
        Tensor x = Tensor.randn(new Random(20261123L), inputShape);
        t.values.put(x, INPUT);
        boolean wasTraining = model.isTraining();
        model.eval();
        Tensor y;
        try (var noGrad = Autograd.noGrad();
             var calls = Module.observeCalls(t);
             var ops = Tensor.observeOps(t)) {
            y = model.call(x);
        } finally {
            model.train(wasTraining);
        }
        return t.build(model, inputShape, y);
    }

    private Graph build(Module model, int[] inputShape, Tensor y) {
        String out = values.get(y);
        if (out == null || out.equals(INPUT)) {
            throw new IllegalArgumentException("trace: the output of " + model + " is not computed by any traced op");
        }
        List<Node> renamed = new ArrayList<>();
        for (Node n : nodes) {
            List<String> ins = new ArrayList<>();
            for (String in : n.inputs()) {
                ins.add(in.equals(out) ? OUTPUT : in);
            }
            List<String> outs = n.output().equals(out) ? List.of(OUTPUT) : n.outputs();
            renamed.add(Node.of(n.name(), n.op(), n.attrs(), ins, outs, n.modulePath()));
        }
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            if (usedState.contains(e.getKey())) {
                initializers.put(e.getKey(), e.getValue());
            }
        }
        initializers.putAll(constants);
        return new Graph(model.getClass().getSimpleName(), List.of(new ValueInfo(INPUT, inputShape)),
                List.of(OUTPUT), initializers, renamed);
    }

    // ---- observers ----------------------------------------------------------------------------------------

    @Override
    public void enter(Module module, Tensor input) {
        stack.push(module);
        if (layer == null && (LayerNodes.isLayer(module) || module instanceof GraphModule)) {
            layer = module;
            layerInput = input;
        }
    }

    @Override
    public void exit(Module module, Tensor output) {
        stack.pop();
        if (module != layer) {
            return;
        }
        layer = null;
        String path = path(module);
        if (module instanceof GraphModule gm) {
            inline(gm, path, output);
            return;
        }
        LayerNodes.Layer l = LayerNodes.of(module, path, layerInput, output);
        List<String> inputs = new ArrayList<>();
        inputs.add(name(layerInput));
        for (Tensor w : l.weights()) {
            inputs.add(name(w));
        }
        emit(path, path, l.op(), l.attrs(), inputs, output);
    }

    @Override
    public void onResult(String op, Tensor result, Tensor[] parents, int[] settings) {
        if (layer != null) {
            return;
        }
        Module owner = stack.peek();
        String path = owner == null ? "" : path(owner);
        boolean moduleIsOp = owner instanceof ReLU || owner instanceof ReLU6 || owner instanceof Flatten
                || owner instanceof Dropout || owner instanceof Identity || owner instanceof LeakyReLU
                || owner instanceof Tanh;
        Op kind;
        Attrs attrs = Attrs.None.INSTANCE;
        List<Tensor> args = new ArrayList<>();
        for (Tensor p : parents) {
            if (p != null) {
                args.add(p);
            }
        }
        Tensor x = args.isEmpty() ? null : args.get(0);
        switch (op) {
            case "relu" -> kind = Op.RELU;
            case "leaky_relu" -> { // settings: the slope's float bits
                kind = Op.LEAKY_RELU;
                attrs = new Attrs.LeakyRelu(Float.intBitsToFloat(settings[0]));
            }
            case "relu6" -> {
                kind = Op.CLIP;
                attrs = new Attrs.Clip(0f, 6f);
            }
            case "add" -> kind = Op.ADD;
            case "sub" -> kind = Op.SUB;
            case "mul" -> kind = Op.MUL;
            case "scale" -> { // settings: the factor's float bits; traced as a product with a scalar constant
                kind = Op.MUL;
                args.add(Tensor.of(new float[] {Float.intBitsToFloat(settings[0])}, 1));
            }
            case "concat" -> {
                kind = Op.CONCAT;
                attrs = new Attrs.Concat(1);
            }
            case "adaptive_avg_pool2d" -> kind = Op.GLOBAL_AVG_POOL;
            case "softmax" -> {
                kind = Op.SOFTMAX;
                attrs = new Attrs.Softmax(settings.length > 0 ? settings[0] : result.rank() - 1, false);
            }
            case "sigmoid" -> kind = Op.SIGMOID;
            case "tanh" -> kind = Op.TANH;
            case "exp" -> kind = Op.EXP;
            case "slice" -> { // settings: axis, start, end (clamped to the axis), step
                kind = Op.SLICE;
                attrs = new Attrs.Slice(settings[0], settings[1], settings[2], settings[3]);
            }
            case "linear" -> {
                kind = Op.GEMM;
                attrs = Attrs.Gemm.LINEAR;
            }
            case "matmul" -> kind = Op.MATMUL;
            case "dropout" -> kind = Op.IDENTITY;
            case "reshape" -> {
                if (result.rank() == 2 && x.rank() >= 2 && result.dim(0) == x.dim(0)) {
                    kind = Op.FLATTEN;
                    attrs = new Attrs.Flatten(1);
                } else {
                    // The leading dimension follows the batch: kept (0) when it is the batch, else inferred (-1)
                    // from the others, so that folding segments or frames into the batch works at any batch size.
                    long[] shape = new long[result.rank()];
                    for (int d = 0; d < shape.length; d++) {
                        shape[d] = d > 0 ? result.dim(d) : x.rank() > 0 && result.dim(0) == x.dim(0) ? 0 : -1;
                    }
                    kind = Op.RESHAPE;
                    attrs = new Attrs.Reshape(shape, false);
                }
            }
            case "upsample_nearest2d", "upsample_bilinear2d" -> {
                kind = Op.RESIZE;
                attrs = resize(op.equals("upsample_nearest2d"), x, result);
            }
            default -> throw new IllegalArgumentException("trace: op " + op + " at '" + path + "' (outside a layer "
                    + "module whose settings the tracer knows) cannot be traced");
        }
        List<String> inputs = new ArrayList<>();
        for (Tensor a : args) {
            inputs.add(name(a));
        }
        String base = moduleIsOp ? path : path.isEmpty() ? kind.label() : path + "/" + kind.label();
        emit(base, path, kind, attrs, inputs, result);
    }

    private static Attrs.Resize resize(boolean nearest, Tensor x, Tensor y) {
        boolean integral = y.dim(2) % x.dim(2) == 0 && y.dim(3) % x.dim(3) == 0;
        float[] scales = integral ? new float[] {1, 1, y.dim(2) / x.dim(2), y.dim(3) / x.dim(3)} : null;
        int[] sizes = integral ? null : y.shape();
        return nearest
                ? new Attrs.Resize(Attrs.ResizeMode.NEAREST, scales, sizes, Attrs.CoordinateMode.ASYMMETRIC,
                        Attrs.NearestMode.FLOOR)
                : new Attrs.Resize(Attrs.ResizeMode.LINEAR, scales, sizes, Attrs.CoordinateMode.PYTORCH_HALF_PIXEL,
                        Attrs.NearestMode.FLOOR);
    }

    /**
     * Copies a {@link GraphModule}'s nodes into the trace: its input becomes the value it was called with, its
     * weights their names in the traced model, its other values and its node names are prefixed by its path.
     */
    private void inline(GraphModule gm, String path, Tensor output) {
        Graph g = gm.graph();
        String prefix = path.isEmpty() ? "" : path + "/";
        Map<String, String> rename = new HashMap<>();
        rename.put(g.inputs().get(0).name(), name(layerInput));
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            rename.put(e.getKey(), name(e.getValue())); // the live tensor: its state-dict name in the model
        }
        String out = g.outputs().get(0);
        for (Node n : g.nodes()) {
            List<String> inputs = new ArrayList<>();
            for (String in : n.inputs()) {
                inputs.add(in.isEmpty() ? "" : rename.computeIfAbsent(in, v -> prefix + v));
            }
            String name = prefix + n.name();
            String value = n.output().equals(out) ? uniqueValue(prefix + n.output()) : prefix + n.output();
            rename.put(n.output(), value);
            String module = path.isEmpty() ? n.modulePath()
                    : n.modulePath().isEmpty() ? path : path + "." + n.modulePath();
            nodes.add(Node.of(name, n.op(), n.attrs(), inputs, List.of(value), module));
        }
        if (values.containsKey(output)) {
            throw new IllegalArgumentException("trace: GraphModule at '" + path + "' returned a value it was given");
        }
        values.put(output, rename.get(out));
    }

    private String uniqueValue(String base) {
        int k = nameCounts.merge(base, 1, Integer::sum);
        return k > 1 ? base + "_" + (k - 1) : base;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private void emit(String base, String path, Op op, Attrs attrs, List<String> inputs, Tensor result) {
        if (values.containsKey(result)) {
            return; // the op handed back a value it was given (identity, eval-mode dropout)
        }
        int k = nameCounts.merge(base, 1, Integer::sum);
        String name = base.isEmpty() ? op.label() : base;
        if (k > 1) {
            name = name + "_" + (k - 1);
        }
        values.put(result, name);
        nodes.add(Node.of(name, op, attrs, inputs, List.of(name), path));
    }

    /** The value name of an operand: a traced value, a weight or buffer by its state-dict name, or a new constant. */
    private String name(Tensor t) {
        String v = values.get(t);
        if (v != null) {
            return v;
        }
        String s = stateNames.get(t);
        if (s != null) {
            usedState.add(s);
            return s;
        }
        String c = "constant_" + constants.size();
        constants.put(c, t.copy());
        values.put(t, c);
        return c;
    }

    private String path(Module m) {
        String p = paths.get(m);
        if (p == null) {
            throw new IllegalArgumentException("trace: module " + m + " is called but not registered in the model; "
                    + "register it with registerModule so that its weights have names");
        }
        return p;
    }
}
