package org.legodnn.graph.quant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.transform.FoldBatchNorm;
import org.legodnn.tensor.Tensor;

/**
 * Post-training static quantization, as ONNX Runtime's {@code quantize_static} does it, so that a float model
 * becomes a QDQ model that runs in int8 here and in other runtimes: BatchNorm is folded into the convolutions;
 * the weights of every convolution and Linear are rounded to int8, symmetric, one scale per output channel; the
 * activations they read, and both inputs of every residual Add, are rounded to uint8, asymmetric, one scale per
 * tensor, with ranges observed on calibration images ({@link Calibration}; the model's input always by min-max,
 * since the entropy threshold cut normalized images at their background level); biases become int32 at scale
 * {@code s_x · s_w}, as ONNX's QLinearConv needs. The result is an ordinary graph with
 * {@link Op#QUANTIZE_DEQUANTIZE} nodes: it runs and is scored like any model, and exports to ONNX as
 * QuantizeLinear / DequantizeLinear pairs.
 */
public final class StaticQuantizer {

    /** What {@link #quantize} did: the quantized graph and how many tensors it rounded, by kind. */
    public record Result(Graph graph, int activations, int weights) {
    }

    private StaticQuantizer() {
    }

    /**
     * The quantized form of {@code model} (one input), with activation ranges observed by {@code calibration}
     * over {@code batches}, each an input tensor of the model's input shape (any batch size); {@code progress}
     * hears one line per step.
     */
    public static Result quantize(Graph model, Iterable<Tensor> batches, Calibration calibration,
                                  Consumer<String> progress) {
        if (model.inputs().size() != 1) {
            throw new IllegalArgumentException("quantize: the model has " + model.inputs().size()
                    + " inputs; one image input is supported");
        }
        Graph g = FoldBatchNorm.apply(model);
        Set<String> observed = activationsToQuantize(g);
        Map<String, RangeObserver> observers = observe(g, observed, batches, calibration, progress);
        Map<String, Attrs.Quantize> activation = new LinkedHashMap<>();
        for (Map.Entry<String, RangeObserver> e : observers.entrySet()) {
            float[] range = e.getValue().range();
            QuantParams p = QuantParams.asymmetricUint8(range[0], range[1]);
            activation.put(e.getKey(), Attrs.Quantize.perTensor(p.scale(), p.zeroPoint(), Attrs.QuantType.UINT8));
        }
        return rewrite(g, activation);
    }

    /**
     * The values to round to uint8: what a convolution or Linear with constant weights reads, and both inputs of
     * an Add (the residual joins), unless constant.
     */
    static Set<String> activationsToQuantize(Graph g) {
        Set<String> out = new LinkedHashSet<>();
        for (Node n : g.nodes()) {
            if (hasConstantWeight(g, n)) {
                out.add(n.input(0));
            } else if (n.op() == Op.ADD) {
                for (String in : n.inputs()) {
                    if (!g.isInitializer(in)) {
                        out.add(in);
                    }
                }
            }
        }
        return out;
    }

    private static boolean hasConstantWeight(Graph g, Node n) {
        boolean matrix = n.op() == Op.CONV || (n.op() == Op.GEMM && !n.attrs(Attrs.Gemm.class).transA());
        return matrix && n.inputs().size() >= 2 && g.isInitializer(n.input(1)) && !g.isInitializer(n.input(0));
    }

    /** Runs the model on every batch with the values to observe made outputs, feeding them to the observers. */
    private static Map<String, RangeObserver> observe(Graph g, Set<String> values, Iterable<Tensor> batches,
                                                      Calibration calibration, Consumer<String> progress) {
        List<String> outputs = new ArrayList<>(g.outputs());
        for (String v : values) {
            if (!outputs.contains(v)) {
                outputs.add(v);
            }
        }
        Graph probe = new Graph(g.name(), g.inputs(), outputs, g.initializers(), g.nodes());
        Map<String, RangeObserver> observers = new LinkedHashMap<>();
        for (String v : values) {
            // The model's input is data already in its range (normalized pixels): nothing there is an outlier to clip.
            boolean input = g.inputs().stream().anyMatch(in -> in.name().equals(v));
            observers.put(v, input ? Calibration.MINMAX.newObserver() : calibration.newObserver());
        }
        String input = g.inputs().get(0).name();
        int images = 0;
        try (CompiledGraph compiled = CompiledGraph.compile(probe)) {
            for (Tensor batch : batches) {
                Map<String, Tensor> out = compiled.run(Map.of(input, batch));
                for (Map.Entry<String, RangeObserver> e : observers.entrySet()) {
                    float[] data = out.get(e.getKey()).data();
                    e.getValue().observe(data, 0, data.length);
                }
                images += batch.shape()[0];
                progress.accept("calibrated on " + images + " images");
            }
        }
        if (images == 0) {
            throw new IllegalArgumentException("quantize: no calibration images");
        }
        return observers;
    }

    /** {@code g} with quantize-dequantize nodes before every convolution and Linear, and on both sides of Adds. */
    private static Result rewrite(Graph g, Map<String, Attrs.Quantize> activation) {
        List<Node> nodes = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        Map<String, String> rounded = new LinkedHashMap<>();
        for (Map.Entry<String, Attrs.Quantize> e : activation.entrySet()) {
            String v = e.getKey();
            String q = unique(g, taken, v + "_qdq");
            Node producer = g.producer(v);
            nodes.add(Node.of(q, Op.QUANTIZE_DEQUANTIZE, e.getValue(), List.of(v), List.of(q),
                    producer == null ? "" : producer.modulePath()));
            rounded.put(v, q);
        }
        int weights = 0;
        for (Node n : g.nodes()) {
            List<String> inputs = new ArrayList<>(n.inputs());
            if (hasConstantWeight(g, n)) {
                Attrs.Quantize x = activation.get(n.input(0));
                inputs.set(0, rounded.get(n.input(0)));
                Tensor w = g.initializer(n.input(1));
                int axis = n.op() == Op.GEMM && !n.attrs(Attrs.Gemm.class).transB() ? 1 : 0;
                Attrs.Quantize wq = perChannelInt8(w, axis);
                String wName = unique(g, taken, n.input(1) + "_qdq");
                nodes.add(Node.of(wName, Op.QUANTIZE_DEQUANTIZE, wq, List.of(n.input(1)), List.of(wName),
                        n.modulePath()));
                inputs.set(1, wName);
                weights++;
                if (inputs.size() > 2 && g.isInitializer(inputs.get(2)) && isPerChannelBias(g, inputs.get(2), wq)) {
                    String bName = unique(g, taken, inputs.get(2) + "_qdq");
                    nodes.add(Node.of(bName, Op.QUANTIZE_DEQUANTIZE, biasInt32(x.scales()[0], wq),
                            List.of(inputs.get(2)), List.of(bName), n.modulePath()));
                    inputs.set(2, bName);
                }
            } else if (n.op() == Op.ADD) {
                for (int k = 0; k < inputs.size(); k++) {
                    inputs.set(k, rounded.getOrDefault(inputs.get(k), inputs.get(k)));
                }
            }
            nodes.add(Node.of(n.name(), n.op(), n.attrs(), inputs, n.outputs(), n.modulePath()));
        }
        Graph out = new Graph(g.name(), g.inputs(), g.outputs(), g.initializers(), nodes);
        return new Result(out, activation.size(), weights);
    }

    /** Symmetric int8, one scale per index of {@code axis} (the output channels): {@code max|w| / 127}. */
    static Attrs.Quantize perChannelInt8(Tensor w, int axis) {
        int[] shape = w.shape();
        int channels = shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        float[] absMax = new float[channels];
        float[] data = w.data();
        for (int i = 0; i < data.length; i++) {
            int c = (i / inner) % channels;
            absMax[c] = Math.max(absMax[c], Math.abs(data[i]));
        }
        float[] scales = new float[channels];
        int[] zeros = new int[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = QuantParams.symmetricInt8(absMax[c]).scale();
        }
        return new Attrs.Quantize(scales, zeros, axis, Attrs.QuantType.INT8);
    }

    private static boolean isPerChannelBias(Graph g, String bias, Attrs.Quantize wq) {
        return g.initializer(bias).shape().length == 1 && g.initializer(bias).size() == wq.scales().length;
    }

    /** Int32 at the scale of the product it is added to: the input's scale times each channel's weight scale. */
    static Attrs.Quantize biasInt32(float inputScale, Attrs.Quantize weight) {
        float[] scales = new float[weight.scales().length];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = inputScale * weight.scales()[c];
        }
        return new Attrs.Quantize(scales, new int[scales.length], 0, Attrs.QuantType.INT32);
    }

    /** {@code name}, or {@code name_1}, ...: a value name that neither the graph nor an earlier call has taken. */
    private static String unique(Graph g, Set<String> taken, String name) {
        String n = name;
        for (int i = 1; g.shape(n) != null || taken.contains(n); i++) {
            n = name + "_" + i;
        }
        taken.add(n);
        return n;
    }
}
