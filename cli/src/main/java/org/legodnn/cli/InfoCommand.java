package org.legodnn.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.graph.Graph;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.analysis.NodeStats;
import org.legodnn.tensor.Shapes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Describes a model node by node — output shape, parameters and FLOPs, with totals and the peak activation
 * memory — for a zoo model (traced) or an ONNX file (imported), so that a user sees what LegoDNN will cut
 * into blocks and what each part costs.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Print a model's layers with output shapes, parameters and FLOPs, and the totals.",
            "FLOPs follow LegoDNN's profiles (the thop package, doubled): 2 x multiply-accumulates of convolutions,"
                + " Gemm/Linear and MatMul (bias excluded), 4 per BatchNorm and 2 per average-pooling output value;"
                + " ReLU, adds, max pooling and reshapes count 0. Params count weights and BatchNorm scale/shift, not"
                + " running statistics."})
public final class InfoCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private ModelGraphOptions modelOptions;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Graph graph = modelOptions.load(spec.commandLine());
        List<NodeStats> stats = GraphAnalysis.perNode(graph);
        GraphAnalysis.Totals totals = GraphAnalysis.totals(stats);
        long peak = GraphAnalysis.peakActivationBytes(graph);
        if (json) {
            System.out.println(JSON.std.asString(toJson(graph, stats, totals, peak)));
        } else {
            printTable(graph, stats, totals, peak);
        }
        return 0;
    }

    private static String label(NodeStats s) {
        return s.node().modulePath().isEmpty() ? s.node().name() : s.node().modulePath();
    }

    private static void printTable(Graph g, List<NodeStats> stats, GraphAnalysis.Totals totals, long peak) {
        int width = 24;
        for (NodeStats s : stats) {
            width = Math.max(width, label(s).length());
        }
        String row = "%-4s %-" + width + "s %-16s %-20s %12s %16s%n";
        StringBuilder inputs = new StringBuilder();
        for (ValueInfo in : g.inputs()) {
            inputs.append(inputs.length() == 0 ? "" : ", ").append(in.name()).append(' ')
                    .append(Shapes.format(g.shape(in.name())));
        }
        System.out.println("input " + inputs);
        System.out.printf(row, "#", "layer", "op", "output shape", "params", "FLOPs");
        for (NodeStats s : stats) {
            System.out.printf(row, s.node().index(), label(s), s.node().op().label(), Shapes.format(s.outputShape()),
                    String.format("%,d", s.params()), String.format("%,d", s.flops()));
        }
        System.out.printf(row, "", "total (" + stats.size() + " nodes)", "", "", String.format("%,d", totals.params()),
                String.format("%,d", totals.flops()));
        System.out.printf("params %,d (%.2f MiB of weights), %.3f GFLOPs, peak activation memory %.2f MiB%n",
                totals.params(), totals.weightBytes() / 1048576.0, totals.flops() / 1e9, peak / 1048576.0);
    }

    private static Map<String, Object> toJson(Graph g, List<NodeStats> stats, GraphAnalysis.Totals totals, long peak) {
        List<Object> nodes = new ArrayList<>();
        for (NodeStats s : stats) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("index", s.node().index());
            n.put("name", s.node().name());
            n.put("module", s.node().modulePath());
            n.put("op", s.node().op().label());
            n.put("output_shape", Shapes.asList(s.outputShape()));
            n.put("params", s.params());
            n.put("flops", s.flops());
            nodes.add(n);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> inputs = new ArrayList<>();
        for (ValueInfo in : g.inputs()) {
            inputs.add(Map.of("name", in.name(), "shape", Shapes.asList(g.shape(in.name()))));
        }
        out.put("inputs", inputs);
        out.put("nodes", nodes);
        out.put("params", totals.params());
        out.put("weight_bytes", totals.weightBytes());
        out.put("flops", totals.flops());
        out.put("peak_activation_bytes", peak);
        return out;
    }
}
