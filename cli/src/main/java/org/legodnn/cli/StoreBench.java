package org.legodnn.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.legodnn.LegoDnn;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.graph.Graph;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.tensor.Tensor;

/**
 * The two keys that {@code bench --store DIR} adds, so that what LegoDNN serves is measured against the engine's
 * best road on the same model: {@code legodnn_served_b1} runs {@link LegoDnnRuntime#infer} on the store's teacher
 * (every block at its sparsity-0 descendant), {@code legodnn_compiled_b1} runs the same composed graph compiled as
 * {@code run} compiles a model. Batch 1, a random input of the teacher's shape. Both on one device: the CPU, or
 * the OpenCL device of {@code bench --device}.
 */
final class StoreBench implements AutoCloseable {

    static final String SERVED = "legodnn_served_b1";
    static final String COMPILED = "legodnn_compiled_b1";
    static final List<String> KEYS = List.of(SERVED, COMPILED);

    private final LegoDnnRuntime runtime;
    private final CompiledGraph compiled;
    private final Tensor input;
    private final long flops;

    private StoreBench(LegoDnnRuntime runtime, CompiledGraph compiled, Tensor input, long flops) {
        this.runtime = runtime;
        this.compiled = compiled;
        this.input = input;
        this.flops = flops;
    }

    /** Opens the store as the runtime serves it on {@code device}, and compiles its live composition there as one graph. */
    static StoreBench open(Path store, long seed, ExecutionDevice device) throws IOException {
        LegoDnnRuntime runtime = LegoDnn.open(store, LegoDnnRuntime.Settings.defaults(), device);
        try {
            Graph composed = runtime.compositionGraph();
            Tensor x = Tensor.randn(new Random(seed), composed.inputs().get(0).concreteShape());
            long flops = GraphAnalysis.totals(GraphAnalysis.perNode(composed)).flops();
            return new StoreBench(runtime, CompiledGraph.compile(composed, device), x, flops);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** Frees what both hold on the device. */
    @Override
    public void close() {
        compiled.close();
        runtime.close();
    }

    /** One call of {@code key}, returning an output value (for the caller's sink). */
    float call(String key) {
        return switch (key) {
            case SERVED -> runtime.infer(input).data()[0];
            case COMPILED -> compiled.run(input).data()[0];
            default -> throw new IllegalArgumentException("bench: no store key '" + key + "' (known: " + KEYS + ")");
        };
    }

    /** The composed model's FLOPs at batch 1, as {@code legodnn info} counts them. */
    long flops() {
        return flops;
    }
}
