package org.legodnn.graph.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.tensor.Tensor;

/**
 * Folds an inference BatchNorm into the convolution before it, so that inference computes one op where
 * the model has two: BatchNorm with running statistics is a per-channel affine map, and an affine map of a
 * convolution's output is a convolution with scaled weights and a shifted bias. With
 * {@code s = gamma / sqrt(var + eps)}: {@code w'[oc] = s[oc]·w[oc]} and
 * {@code b'[oc] = s[oc]·(b[oc] − mean[oc]) + beta[oc]}, computed in double.
 *
 * <p>A pure {@link Graph} → {@link Graph} rewrite, usable by any backend: the result is an ordinary graph
 * (it runs on the interpreter and exports to ONNX) with the same inputs and outputs. A pair is folded only
 * when the convolution's output feeds nothing but the BatchNorm and is no graph output, and all weights
 * and statistics are initializers; the folded weight and bias are new initializers named after the
 * BatchNorm ({@code <bn module>.folded_weight}, {@code .folded_bias}), and initializers that no node reads
 * any more are dropped. The folded BatchNorm's output keeps its name, so whatever read it reads the
 * convolution now.
 */
public final class FoldBatchNorm {

    private FoldBatchNorm() {
    }

    /** The graph with every foldable Conv → BatchNorm pair replaced by one Conv; {@code graph} itself if none. */
    public static Graph apply(Graph graph) {
        Map<String, Tensor> inits = new LinkedHashMap<>(graph.initializers());
        Map<Integer, Node> replaced = new LinkedHashMap<>();
        Set<Integer> removed = new HashSet<>();
        for (Node bn : graph.nodes()) {
            Node conv = foldableConv(graph, bn);
            if (conv == null) {
                continue;
            }
            String base = bn.modulePath().isEmpty() ? bn.name() : bn.modulePath();
            String wName = unique(graph, inits, base + ".folded_weight");
            String bName = unique(graph, inits, base + ".folded_bias");
            Tensor[] folded = fold(graph, conv, bn);
            inits.put(wName, folded[0]);
            inits.put(bName, folded[1]);
            List<String> inputs = List.of(conv.input(0), wName, bName);
            replaced.put(conv.index(), Node.of(conv.name(), Op.CONV, conv.attrs(), inputs, List.of(bn.output()),
                    conv.modulePath()));
            removed.add(bn.index());
        }
        if (replaced.isEmpty()) {
            return graph;
        }
        List<Node> nodes = new ArrayList<>();
        Set<String> read = new HashSet<>();
        for (Node n : graph.nodes()) {
            if (removed.contains(n.index())) {
                continue;
            }
            Node out = replaced.getOrDefault(n.index(), n);
            nodes.add(out);
            read.addAll(out.inputs());
        }
        read.addAll(graph.outputs());
        inits.keySet().retainAll(read);
        return new Graph(graph.name(), graph.inputs(), graph.outputs(), inits, nodes);
    }

    /** The convolution that {@code bn} can be folded into, or null. */
    static Node foldableConv(Graph graph, Node bn) {
        if (bn.op() != Op.BATCH_NORM || bn.inputs().size() < 5) {
            return null;
        }
        Node conv = graph.producer(bn.input(0));
        if (conv == null || conv.op() != Op.CONV || graph.consumers(conv.output()).size() != 1
                || graph.outputs().contains(conv.output())) {
            return null;
        }
        for (int i = 1; i < 5; i++) {
            if (!graph.isInitializer(bn.input(i))) {
                return null;
            }
        }
        String bias = conv.input(2);
        if (!graph.isInitializer(conv.input(1)) || (bias != null && !bias.isEmpty() && !graph.isInitializer(bias))) {
            return null;
        }
        int cout = graph.initializer(conv.input(1)).dim(0);
        for (int i = 1; i < 5; i++) {
            if (graph.initializer(bn.input(i)).size() != cout) {
                return null;
            }
        }
        return conv;
    }

    /** The folded {@code [weight, bias]} of a Conv → BatchNorm pair. */
    private static Tensor[] fold(Graph graph, Node conv, Node bn) {
        Tensor w = graph.initializer(conv.input(1));
        String biasName = conv.input(2);
        float[] b = biasName == null || biasName.isEmpty() ? null : graph.initializer(biasName).data();
        float[] gamma = graph.initializer(bn.input(1)).data();
        float[] beta = graph.initializer(bn.input(2)).data();
        float[] mean = graph.initializer(bn.input(3)).data();
        float[] var = graph.initializer(bn.input(4)).data();
        double eps = bn.attrs(Attrs.BatchNorm.class).eps();
        int cout = w.dim(0);
        int per = w.size() / cout;
        float[] wd = w.data();
        float[] w2 = new float[wd.length];
        float[] b2 = new float[cout];
        for (int oc = 0; oc < cout; oc++) {
            double s = BatchNormAffine.scale(gamma[oc], var[oc], eps);
            for (int i = oc * per; i < (oc + 1) * per; i++) {
                w2[i] = (float) (s * wd[i]);
            }
            b2[oc] = (float) (s * ((b == null ? 0.0 : b[oc]) - mean[oc]) + beta[oc]);
        }
        return new Tensor[] {Tensor.of(w2, w.shape()), Tensor.of(b2, cout)};
    }

    /** {@code name}, or {@code name_1}, {@code name_2}, ... if a value of the graph or a new initializer has it. */
    private static String unique(Graph graph, Map<String, Tensor> taken, String name) {
        String n = name;
        for (int i = 1; taken.containsKey(n) || graph.shape(n) != null; i++) {
            n = name + "_" + i;
        }
        return n;
    }
}
