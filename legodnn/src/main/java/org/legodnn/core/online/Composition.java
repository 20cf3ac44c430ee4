package org.legodnn.core.online;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.legodnn.core.prune.CompiledBlocks;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.tensor.Tensor;

/**
 * One composition of the model, frozen: which descendant runs in every block, and the compiled model that runs
 * them. The block switcher publishes a new composition instead of changing the live one, so an inference that
 * started on this one finishes on it, whatever is switched meanwhile.
 *
 * <p>A composition is held while it is live and while inferences run on it; when the last holder lets go
 * after it was retired, {@code onIdle} frees what it holds (the joined model's device buffers, its hold on the
 * descendants). On the CPU that frees nothing; on a device with its own memory (OpenCL) it is what keeps a
 * switch from freeing buffers that an inference still reads.
 */
public final class Composition {

    private final int[] selection;
    private final List<Descendant> descendants;
    private final List<CompiledGraph> compiled;
    private final CompiledGraph served;
    private final Runnable onIdle;
    /** Holders: 1 while live (the switcher's) plus one per running inference; 0 once freed, for good. */
    private final AtomicInteger holders = new AtomicInteger(1);

    /**
     * @param selection   per block, the index of its descendant in the source's order (a copy is kept)
     * @param descendants per block, the descendant that runs in it
     * @param compiled    per block, that descendant compiled ({@link CompiledBlocks#compile}), as it runs in the
     *                    model
     * @param served      the frame's segments and {@code compiled} joined ({@link CompiledBlocks#compose}): what
     *                    {@link #run} runs, from any number of threads at once
     * @param onIdle      run once, when the composition is retired and no inference runs on it any more
     */
    public Composition(int[] selection, List<Descendant> descendants, List<CompiledGraph> compiled,
                       CompiledGraph served, Runnable onIdle) {
        this.selection = selection.clone();
        this.descendants = List.copyOf(descendants);
        this.compiled = List.copyOf(compiled);
        this.served = served;
        this.onIdle = onIdle;
        if (selection.length != descendants.size() || compiled.size() != selection.length) {
            throw new IllegalArgumentException("Composition: selection of " + selection.length + " entries, "
                    + descendants.size() + " descendants, " + compiled.size() + " compiled blocks");
        }
    }

    /**
     * Joins {@code pieces}' frame with {@code compiled.get(i)} (descendant {@code chosen.get(i)}) in every block;
     * when retired and idle, it closes the joined model and then runs {@code release}.
     */
    public static Composition of(CompiledBlocks pieces, int[] selection, List<Descendant> chosen,
                                 List<CompiledGraph> compiled, Runnable release) {
        CompiledGraph served = pieces.compose(new ArrayList<>(compiled));
        return new Composition(selection, chosen, compiled, served, () -> {
            served.close();
            release.run();
        });
    }

    /**
     * Runs the composed model on {@code x} (any batch size) and returns its first output; thread-safe, no lock.
     *
     * @throws IllegalStateException when the composition was retired and freed (run the live one instead)
     */
    public Tensor run(Tensor x) {
        Tensor y = tryRun(x);
        if (y == null) {
            throw new IllegalStateException(this + " was retired and freed");
        }
        return y;
    }

    /** {@link #run}, or null when the composition has been freed. */
    Tensor tryRun(Tensor x) {
        if (!hold()) {
            return null;
        }
        try {
            return served.run(x);
        } finally {
            let();
        }
    }

    /** Takes a hold, unless the composition is freed already (then false). */
    boolean hold() {
        for (int h = holders.get(); h > 0; h = holders.get()) {
            if (holders.compareAndSet(h, h + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Gives a hold back; the last one frees the composition. */
    void let() {
        if (holders.decrementAndGet() == 0) {
            onIdle.run();
        }
    }

    /** Called once by the switcher when another composition has replaced this one. */
    void retire() {
        let();
    }

    /** Per block, the descendant that runs in it. */
    public List<Descendant> descendants() {
        return descendants;
    }

    /** Per block, the compiled descendant. */
    public List<CompiledGraph> compiled() {
        return compiled;
    }

    /** The joined model that {@link #run} runs. */
    public CompiledGraph served() {
        return served;
    }

    /** Per block, the index of its descendant (a copy). */
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
