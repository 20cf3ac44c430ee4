package org.legodnn.core.prune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.graph.module.GraphModule;

/**
 * One thinner version of a block: what LegoDNN retrains, profiles and swaps in at run time. Its input and
 * output shapes are the block's, so any descendant of block i composes with any descendant of block j.
 *
 * @param blockIndex   the block it descends from
 * @param sparsity     the fraction of filters each prunable conv lost ({@code int(C × s)} of them)
 * @param graph        the pruned block as a graph (its input and output named as in the model), with the
 *                     weights as pruned; tensors that pruning did not change are shared with the model graph
 *                     and never written
 * @param module       a trainable module made from {@code graph} (own copies of the weights, PyTorch names):
 *                     retraining updates these; {@code module().graph()} is the current state
 * @param params       parameters (weights and BN scale/shift, no running statistics, as LegoDNN counts)
 * @param flops        FLOPs at the block's shapes, thop-doubled as {@link org.legodnn.graph.analysis.Flops}
 * @param keptChannels per conv whose output channels were cut (module path), the channels it kept, ascending;
 *                     empty for the original block
 * @param precision    the number format it runs in: {@link Precision#INT8} for the QDQ graph quantized from the
 *                     fp32 descendant at the same sparsity (params and FLOPs are that descendant's)
 */
public record Descendant(int blockIndex, double sparsity, Graph graph, GraphModule module, long params, long flops,
                         Map<String, int[]> keptChannels, Precision precision) {

    public Descendant {
        keptChannels = Collections.unmodifiableMap(new LinkedHashMap<>(keptChannels));
        if (precision == null) {
            throw new IllegalArgumentException("Descendant: no precision (Precision.FP32 for a pruned block)");
        }
    }

    /** A float32 descendant. */
    public Descendant(int blockIndex, double sparsity, Graph graph, GraphModule module, long params, long flops,
                      Map<String, int[]> keptChannels) {
        this(blockIndex, sparsity, graph, module, params, flops, keptChannels, Precision.FP32);
    }

    /** This descendant in {@code p}, as the graph {@code g} (a QDQ graph for int8) with {@code module} made from it. */
    public Descendant in(Precision p, Graph g, GraphModule module) {
        return new Descendant(blockIndex, sparsity, g, module, params, flops, keptChannels, p);
    }

    @Override
    public String toString() {
        return "descendant of block " + blockIndex + " at sparsity " + sparsity + " (" + precision.label()
                + "): params " + params + " flops " + flops + " cut " + keptChannels.keySet();
    }
}
