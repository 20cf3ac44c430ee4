package org.legodnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.LegoDnn;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.UpdateResult;
import org.legodnn.core.optimize.RelaxPolicy;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.graph.Graph;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.tensor.io.Safetensors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A composition of a block store as one ordinary model, so that what LegoDNN chose can be deployed where no
 * LegoDNN runs (ONNX Runtime on a phone, {@code legodnn run}, PyTorch by weight names), as the original's
 * {@code gen_series_legodnn_models} saves each composition it picks.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write one composition of a block store as an ONNX model (dynamic batch dimension, PyTorch"
                + " weight names): the most accurate one within --latency-ms and --memory-mb, or the one --selection"
                + " names (a descendant index per block, 0 = the original block; in a store with int8 variants the"
                + " indices go on past the fp32 ones: n + j is sparsity j in int8, written as a QDQ block).",
            "With --safetensors also the weights alone, by PyTorch name."})
public final class ExportCommand implements Callable<Integer> {

    private static final double MIB = 1024 * 1024;

    @Spec
    private CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "A profiled block store (from offline).")
    private Path store;

    /** Either budgets or an explicit selection. */
    static final class Choice {
        @ArgGroup(exclusive = false)
        Budgets budgets;

        @Option(names = "--selection", split = ",", paramLabel = "J", description = "Descendant (option) index per block,"
                + " e.g. 0,2,1.")
        int[] selection;
    }

    /** The budgets of an optimized composition. */
    static final class Budgets {
        @Option(names = "--latency-ms", required = true, paramLabel = "X", description = "Latency budget, milliseconds.")
        double latencyMs;

        @Option(names = "--memory-mb", required = true, paramLabel = "Y", description = "Memory budget, MiB.")
        double memoryMb;

        @Option(names = "--relax", paramLabel = "POLICY", description = "When nothing fits: latency (default), memory,"
                + " both, none (as optimize).")
        RelaxPolicy relax = RelaxPolicy.DEFAULT;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Choice choice;

    @Option(names = "--out", required = true, paramLabel = "M.onnx", description = "Where to write the ONNX model.")
    private Path out;

    @Option(names = "--safetensors", paramLabel = "W", description = "Also write the composition's weights here.")
    private Path safetensors;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(store)) {
            throw new ParameterException(spec.commandLine(), "--store " + store + ": not a directory");
        }
        Budgets b = choice.budgets;
        if (b != null && (!(b.latencyMs > 0) || !(b.memoryMb > 0) || Double.isInfinite(b.latencyMs)
                || Double.isInfinite(b.memoryMb))) {
            throw new ParameterException(spec.commandLine(), "--latency-ms and --memory-mb must be positive numbers");
        }
        LegoDnnRuntime runtime = LegoDnn.open(store, LegoDnnRuntime.Settings.defaults()
                .withRelax(b == null ? RelaxPolicy.DEFAULT : b.relax));
        String how;
        if (b != null) {
            UpdateResult u = runtime.update(b.latencyMs, b.memoryMb * MIB);
            how = String.format(Locale.ROOT, "the most accurate within %s ms and %s MiB%s: %.3f ms, %.3f MiB",
                    OptimizeCommand.num(b.latencyMs), OptimizeCommand.num(b.memoryMb),
                    u.relaxed() ? String.format(Locale.ROOT, " (relaxed to %.3f ms, %.3f MiB)", u.latencyBudgetMs(),
                            u.memoryBudgetBytes() / MIB) : "", u.latencyMs(), u.memoryBytes() / MIB);
        } else {
            try {
                runtime.switcher().switchTo(choice.selection);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--selection: " + e.getMessage());
            }
            how = "the selection asked for";
        }
        Graph g = runtime.compositionGraph();
        OnnxExporter.write(g, out); // what runtime.export writes, with the graph kept for --safetensors
        int[] selection = runtime.switcher().selection();
        System.out.println("composition " + Arrays.toString(selection) + ", " + how);
        BlockOptions options = runtime.options();
        if (options.mixed()) {
            List<String> chosen = new ArrayList<>();
            for (int o : selection) {
                chosen.add(options.label(o));
            }
            System.out.println("per block: " + chosen + " (int8 blocks are written as QuantizeLinear/DequantizeLinear)");
        }
        System.out.println("estimated " + OfflineStages.accuracyName(runtime.metric()) + " "
                + runtime.estimate().describe());
        System.out.printf(Locale.ROOT, "wrote %s (%d bytes, input %s with a dynamic batch)%n", out, Files.size(out),
                g.inputs().get(0));
        if (safetensors != null) {
            Safetensors.write(safetensors, g.initializers(), Map.of("producer", "legodnn export", "selection",
                    Arrays.toString(runtime.switcher().selection())));
            System.out.printf(Locale.ROOT, "wrote %s (%d tensors)%n", safetensors, g.initializers().size());
        }
        return 0;
    }
}
