package org.legodnn.core.online;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;
import org.legodnn.tensor.Tensor;

/**
 * One composition of the model, frozen: which descendant runs in every block, and the model that runs them.
 * The block switcher publishes a new composition instead of changing the live one, so an inference that
 * started on this one finishes on it, whatever is switched meanwhile.
 *
 * @param selection   per block, the index of its descendant in the source's order (a copy is kept)
 * @param descendants per block, the descendant that runs in it
 * @param runner      the frame with exactly these descendants, one per block (so its only possible selection is
 *                    all zeros and it cannot be switched); run through its thread-safe explicit-choice path
 */
public record Composition(int[] selection, List<Descendant> descendants, ComposedModel runner) {

    public Composition {
        selection = selection.clone();
        descendants = List.copyOf(descendants);
        if (selection.length != descendants.size() || runner.blocks().size() != selection.length) {
            throw new IllegalArgumentException("Composition: selection of " + selection.length + " entries, "
                    + descendants.size() + " descendants, " + runner.blocks().size() + " blocks");
        }
        for (int i = 0; i < selection.length; i++) {
            if (runner.chosen(i) != descendants.get(i)) {
                throw new IllegalArgumentException("Composition: block " + runner.blocks().get(i).index()
                        + " runs another descendant than the one listed");
            }
        }
    }

    /** Builds the runner: {@code model}'s frame with {@code chosen.get(i)} in place of {@code blocks.get(i)}. */
    public static Composition of(Graph model, List<Block> blocks, int[] selection, List<Descendant> chosen) {
        List<List<Descendant>> one = new ArrayList<>(chosen.size());
        for (Descendant d : chosen) {
            one.add(List.of(d));
        }
        return new Composition(selection, chosen, new ComposedModel(model, blocks, one).prepare());
    }

    /** Runs the composed model on {@code x} (any batch size) and returns its first output; thread-safe. */
    public Tensor run(Tensor x) {
        return runner.finish(runner.start(x), 0, new int[selection.length]);
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
