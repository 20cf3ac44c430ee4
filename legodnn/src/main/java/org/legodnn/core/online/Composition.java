package org.legodnn.core.online;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.legodnn.core.prune.CompiledBlocks;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.tensor.Tensor;

/**
 * One composition of the model, frozen: which descendant runs in every block, and the compiled model that runs
 * them. The block switcher publishes a new composition instead of changing the live one, so an inference that
 * started on this one finishes on it, whatever is switched meanwhile.
 *
 * @param selection   per block, the index of its descendant in the source's order (a copy is kept)
 * @param descendants per block, the descendant that runs in it
 * @param compiled    per block, that descendant compiled ({@link CompiledBlocks#compile}), as it runs in the model
 * @param served      the frame's segments and {@code compiled} joined ({@link CompiledBlocks#compose}): what
 *                    {@link #run} runs, from any number of threads at once
 */
public record Composition(int[] selection, List<Descendant> descendants, List<CompiledGraph> compiled,
                          CompiledGraph served) {

    public Composition {
        selection = selection.clone();
        descendants = List.copyOf(descendants);
        compiled = List.copyOf(compiled);
        if (selection.length != descendants.size() || compiled.size() != selection.length) {
            throw new IllegalArgumentException("Composition: selection of " + selection.length + " entries, "
                    + descendants.size() + " descendants, " + compiled.size() + " compiled blocks");
        }
    }

    /** Joins {@code pieces}' frame with {@code compiled.get(i)} (descendant {@code chosen.get(i)}) in every block. */
    public static Composition of(CompiledBlocks pieces, int[] selection, List<Descendant> chosen,
                                 List<CompiledGraph> compiled) {
        return new Composition(selection, chosen, compiled, pieces.compose(new ArrayList<>(compiled)));
    }

    /** Runs the composed model on {@code x} (any batch size) and returns its first output; thread-safe, no lock. */
    public Tensor run(Tensor x) {
        return served.run(x);
    }

    @Override
    public int[] selection() {
        return selection.clone();
    }

    /** The descendant index chosen for the {@code block}-th block. */
    public int selection(int block) {
        return selection[block];
    }

    /** Equal when the same descendant objects run in every block. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Composition c) || !Arrays.equals(selection, c.selection)) {
            return false;
        }
        for (int i = 0; i < selection.length; i++) {
            if (descendants.get(i) != c.descendants.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(selection);
    }

    @Override
    public String toString() {
        return "composition " + Arrays.toString(selection);
    }
}
