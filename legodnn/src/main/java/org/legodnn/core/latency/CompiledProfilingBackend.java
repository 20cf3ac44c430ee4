package org.legodnn.core.latency;

import java.util.ArrayList;
import java.util.List;
import org.legodnn.core.prune.CompiledBlocks;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.CpuExecution;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.tensor.Tensor;

/**
 * Profiling on the device the model will be served on, as the run-time model runs there: each descendant
 * compiled for it ({@link CompiledBlocks#compile}), the whole model as the block switcher serves it, the frame's
 * compiled segments joined with the descendants. The CPU and OpenCL devices take this one road (only the
 * {@link ExecutionDevice} differs), so the optimizer budgets with exactly the steps that are served. Blocks are
 * timed inside the served model ({@link InModelTiming}), or alone ({@link #runBlock}) where a caller asks for
 * that. Descendants are compiled once, when first used.
 */
public final class CompiledProfilingBackend implements ProfilingBackend, InModelTiming {

    private final String name;
    private final ExecutionDevice device;
    private final ComposedModel composed;
    private final CompiledBlocks pieces;
    /** Per block, its descendants compiled so far (null where not yet timed). */
    private final List<List<CompiledGraph>> compiled = new ArrayList<>();
    /** The served model at descendant 0 everywhere, joined on first use. */
    private CompiledGraph whole;

    /** Profiles the blocks and frame of {@code composed} on the CPU, with the descendants' current weights. */
    public CompiledProfilingBackend(ComposedModel composed) {
        this(composed, CpuExecution.current(), LatencyProfile.CPU);
    }

    /**
     * Profiles the blocks and frame of {@code composed} on {@code device}, recorded in the profile as {@code name}.
     *
     * @throws UnsupportedOperationException naming the first node of the frame the device cannot run
     */
    public CompiledProfilingBackend(ComposedModel composed, ExecutionDevice device, String name) {
        this.name = name;
        this.device = device;
        this.composed = composed;
        this.pieces = new CompiledBlocks(composed.model(), composed.blocks(), device);
        for (int i = 0; i < composed.blocks().size(); i++) {
            compiled.add(new ArrayList<>());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Object runBlock(int i, int j, Tensor in) {
        return descendant(i, j).run(in);
    }

    @Override
    public Object runWhole(Tensor x) {
        if (whole == null) {
            List<CompiledGraph> originals = new ArrayList<>();
            for (int i = 0; i < composed.blocks().size(); i++) {
                originals.add(descendant(i, 0));
            }
            whole = pieces.compose(originals);
        }
        return whole.run(x);
    }

    /** Frees what the device holds for the compiled pieces (device memory on OpenCL; nothing on the CPU). */
    @Override
    public void close() {
        if (whole != null) {
            whole.close();
        }
        for (List<CompiledGraph> block : compiled) {
            for (CompiledGraph g : block) {
                if (g != null) {
                    g.close();
                }
            }
        }
        pieces.close();
    }

    @Override
    public double[][] timeComposition(int j, Tensor x, int warmups, int calls) {
        List<CompiledGraph> chosen = new ArrayList<>();
        for (int i = 0; i < composed.blocks().size(); i++) {
            chosen.add(descendant(i, j));
        }
        try (CompiledGraph composition = pieces.compose(chosen)) {
            return pieces.timeInModel(composition, chosen, x, warmups, calls);
        }
    }

    /** Descendant {@code j} of the {@code i}-th block, compiled on first use. */
    private CompiledGraph descendant(int i, int j) {
        List<CompiledGraph> block = compiled.get(i);
        while (block.size() <= j) {
            block.add(null);
        }
        if (block.get(j) == null) {
            Descendant d = composed.descendants(i).get(j);
            block.set(j, CompiledBlocks.compile(d, device));
        }
        return block.get(j);
    }
}
