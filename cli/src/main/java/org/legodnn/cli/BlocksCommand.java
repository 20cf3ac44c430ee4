package org.legodnn.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.graph.Graph;
import org.legodnn.tensor.Shapes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Shows the blocks that automatic extraction ({@link BlockExtractor}) finds in a model, without data or
 * weights, so that a user sees how LegoDNN will cut a network before pruning and retraining it — and so that
 * the cut can be compared with the original LegoDNN's profiles.
 */
@Command(name = "blocks", mixinStandardHelpOptions = true,
        description = {"Print the blocks that LegoDNN's automatic extraction finds in a model.",
            "A block is a run of consecutive nodes with one input and one output holding 2 to"
                + " max(floor(convs x R), 2) convolutions; everything else is the fixed frame.",
            "Shapes are per sample (batch dimension dropped), as LegoDNN's profiles write them; params count weights"
                + " and BatchNorm scale/shift; FLOPs follow the thop package, doubled, at the input shape."})
public final class BlocksCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private ModelGraphOptions modelOptions;

    @Option(names = "--max-ratio", paramLabel = "R",
            description = "Most convolutions in a block as a share of all (default: ${DEFAULT-VALUE}, as the original).")
    private double maxRatio = BlockExtractor.DEFAULT_MAX_RATIO;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(maxRatio > 0 && maxRatio <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--max-ratio " + maxRatio + " is out of range (expected 0 < R <= 1)");
        }
        Graph graph = modelOptions.load(spec.commandLine());
        List<Block> blocks = BlockExtractor.extract(graph, maxRatio);
        int total = BlockExtractor.totalConvs(graph);
        int max = BlockExtractor.maxConvs(total, maxRatio);
        if (json) {
            System.out.println(JSON.std.asString(toJson(blocks, total, max)));
        } else {
            printTable(graph, blocks, total, max);
        }
        return 0;
    }

    private static void printTable(Graph g, List<Block> blocks, int total, int max) {
        System.out.printf("%s: %d nodes, %d convolutions, at most %d per block; %d blocks%n", g.name(),
                g.nodes().size(), total, max, blocks.size());
        String row = "%-5s %-11s %-16s %-16s %5s %14s %16s  %s%n";
        System.out.printf(row, "block", "nodes", "input", "output", "convs", "params", "FLOPs", "layers");
        long params = 0;
        long flops = 0;
        for (Block b : blocks) {
            System.out.printf(row, b.index(), "#" + b.firstNode() + "-#" + b.lastNode(), Shapes.format(b.inputSampleShape()),
                    Shapes.format(b.outputSampleShape()), b.convCount(), String.format("%,d", b.params()),
                    String.format("%,d", b.flops()), String.join(", ", b.layers()));
            params += b.params();
            flops += b.flops();
        }
        System.out.printf(row, "", "", "", "", "", String.format("%,d", params), String.format("%,d", flops),
                "in blocks; the rest is the fixed frame");
    }

    private static Map<String, Object> toJson(List<Block> blocks, int total, int max) {
        List<Object> list = new ArrayList<>();
        for (Block b : blocks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", b.index());
            m.put("params", b.params());
            m.put("flops", b.flops());
            m.put("input_shape", Shapes.asList(b.inputSampleShape()));
            m.put("output_shape", Shapes.asList(b.outputSampleShape()));
            m.put("layers", b.layers());
            m.put("output_convs", b.outputConvLayers());
            m.put("nodes", List.of(b.firstNode(), b.lastNode()));
            m.put("input", b.inputValue());
            m.put("output", b.outputValue());
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("blocks", list);
        out.put("convs", total);
        out.put("max_convs_per_block", max);
        return out;
    }
}
