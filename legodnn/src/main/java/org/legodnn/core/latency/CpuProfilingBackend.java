package org.legodnn.core.latency;

import java.util.ArrayList;
import java.util.List;
import org.legodnn.core.prune.CompiledBlocks;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.tensor.Tensor;

/**
 * Profiling on the JVM's own kernels, as the run-time model runs there: each descendant compiled
 * ({@link CompiledBlocks#compile}), the whole model as the block switcher serves it, the frame's compiled
 * segments joined with the descendants. Blocks are timed inside the served model ({@link InModelTiming}), or
 * alone ({@link #runBlock}) where a caller asks for that. Descendants are compiled once, when first used.
 */
public final class CpuProfilingBackend implements ProfilingBackend, InModelTiming {

    private final ComposedModel composed;
    private final CompiledBlocks pieces;
    /** Per block, its descendants compiled so far (null where not yet timed). */
    private final List<List<CompiledGraph>> compiled = new ArrayList<>();
    /** The served model at descendant 0 everywhere, joined on first use. */
    private CompiledGraph whole;

    /** Profiles the blocks and frame of {@code composed}, with the descendants' current weights. */
    public CpuProfilingBackend(ComposedModel composed) {
        this.composed = composed;
        this.pieces = new CompiledBlocks(composed.model(), composed.blocks());
        for (int i = 0; i < composed.blocks().size(); i++) {
            compiled.add(new ArrayList<>());
        }
    }

    @Override
    public String name() {
        return LatencyProfile.CPU;
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

    @Override
    public double[][] timeComposition(int j, Tensor x, int warmups, int calls) {
        List<CompiledGraph> chosen = new ArrayList<>();
        for (int i = 0; i < composed.blocks().size(); i++) {
            chosen.add(descendant(i, j));
        }
        return pieces.timeInModel(pieces.compose(chosen), chosen, x, warmups, calls);
    }

    /** Descendant {@code j} of the {@code i}-th block, compiled on first use. */
    private CompiledGraph descendant(int i, int j) {
        List<CompiledGraph> block = compiled.get(i);
        while (block.size() <= j) {
            block.add(null);
        }
        if (block.get(j) == null) {
            Descendant d = composed.descendants(i).get(j);
            block.set(j, CompiledBlocks.compile(d));
        }
        return block.get(j);
    }
}
