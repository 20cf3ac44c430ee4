package org.legodnn.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.graph.Graph;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.tensor.Tensor;

/**
 * What a model costs and how good it is — parameters, FLOPs (as {@code info} counts them), batch-1 latency on this
 * engine and the task's metric — so that a command that changes a model ({@code prune}) shows both sides of the
 * trade in the same units.
 *
 * @param params    parameters, without BatchNorm running statistics
 * @param flops     FLOPs of one image
 * @param latencyMs median milliseconds of one batch-1 inference, compiled as {@code run} runs it, warm
 * @param metric    the task's metric on the test split, a fraction from 0 to 1
 */
record ModelFigures(long params, long flops, double latencyMs, double metric) {

    /**
     * How latency is timed, per pass: untimed runs for up to 1 s (the JIT compiles the kernels only after many
     * calls: a cold ResNet-20 runs several times slower for its first few hundred), then up to 50 timed ones
     * within 1 s.
     */
    private static final LatencyProfiler.Settings TIMING = new LatencyProfiler.Settings(2000, 50, 1000, 0, 42);

    /**
     * The figures of models that a command compares, {@code oneImage[i]} (a graph whose input holds one image)
     * with its already measured {@code metrics[i]}. Latencies are timed in two passes over all the models and
     * kept from the second, so that no model is timed while the JIT is still compiling kernels the others need.
     */
    static List<ModelFigures> of(List<Graph> oneImage, double[] metrics) {
        List<CompiledGraph> compiled = new ArrayList<>();
        try {
            for (Graph g : oneImage) {
                compiled.add(CompiledGraph.compile(g));
            }
            double[] ms = new double[compiled.size()];
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < ms.length; i++) {
                    CompiledGraph c = compiled.get(i);
                    Tensor x = Tensor.randn(new Random(TIMING.seed()), oneImage.get(i).inputs().get(0).shape());
                    ms[i] = LatencyProfiler.measure(() -> c.run(x), TIMING).medianMs();
                }
            }
            List<ModelFigures> out = new ArrayList<>();
            for (int i = 0; i < ms.length; i++) {
                GraphAnalysis.Totals t = GraphAnalysis.totals(GraphAnalysis.perNode(oneImage.get(i)));
                out.add(new ModelFigures(t.params(), t.flops(), ms[i], metrics[i]));
            }
            return out;
        } finally {
            compiled.forEach(CompiledGraph::close);
        }
    }

    /** For JSON: {@code params}, {@code flops}, {@code latency_ms}, {@code value}. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("params", params);
        m.put("flops", flops);
        m.put("latency_ms", latencyMs);
        m.put("value", metric);
        return m;
    }

    /** One line of a table: params, MFLOPs, latency and the metric in percent. */
    String row(String label) {
        return String.format(Locale.ROOT, "%-7s %,10d %10.2f %10.3f %9.2f%%", label, params, flops / 1e6, latencyMs,
                100 * metric);
    }
}
