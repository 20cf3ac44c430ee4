package org.legodnn.core.online;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.CompiledBlocks;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.CpuExecution;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.tensor.Tensor;

/**
 * LegoDNN's block switcher: puts the descendants the optimizer chose into the live model while other
 * threads keep running inference on it. A switch builds a new {@link Composition} aside — reusing the
 * descendants already loaded and compiled (no weights copied or packed again), fetching and compiling the others
 * from the {@link DescendantSource}, off the inference path — then publishes it with one atomic write. {@link #infer} reads the live composition
 * once and runs the whole model on it, so every inference sees the old or the new composition, never a mix,
 * and never waits for a switch.
 *
 * <p>Memory follows the composition: after each switch only what the {@link ResidencyPolicy} keeps (the live
 * selection and any preloaded descendants) stays loaded; an inference still running on the old composition
 * holds its descendants until it returns (on a device with memory of its own, such as OpenCL, the old
 * composition's buffers and the dropped descendants' weights are freed then). Switches are serialized with each
 * other. Closing the switcher frees what it holds on the device.
 */
public final class BlockSwitcher implements AutoCloseable {

    private final DescendantSource source;
    private final ResidencyPolicy policy;
    /** The frame, compiled once; compositions are joined from it and the compiled descendants. */
    private final CompiledBlocks pieces;
    /** The loaded descendants, by block and index; only touched while holding this switcher's lock. */
    private final Map<Slot, Loaded> loaded = new HashMap<>();
    private final AtomicReference<Composition> live = new AtomicReference<>();
    private final SwitchReport first;

    /** A descendant's place: the block's position and the descendant's index in it. */
    private record Slot(int block, int index) {
    }

    /**
     * A loaded descendant and its compiled form, held by the switcher while loaded and by every composition
     * that runs it; the last holder to let go frees the compiled form.
     */
    private static final class Loaded {
        final Descendant descendant;
        final CompiledGraph compiled;
        private final AtomicInteger holders = new AtomicInteger(1);

        Loaded(Descendant descendant, CompiledGraph compiled) {
            this.descendant = descendant;
            this.compiled = compiled;
        }

        void hold() {
            holders.incrementAndGet();
        }

        void let() {
            if (holders.decrementAndGet() == 0) {
                compiled.close();
            }
        }
    }

    /** Counts what building one composition cost. */
    private static final class Tally {
        long bytes;
        int loaded;
        int reused;
    }

    /** A switcher that starts on {@code selection} and keeps only the live selection loaded. */
    public BlockSwitcher(DescendantSource source, int... selection) throws IOException {
        this(source, ResidencyPolicy.selectedOnly(), selection);
    }

    /**
     * A switcher that loads the preloaded descendants of {@code policy} and starts on {@code selection}
     * (what that cost: {@link #firstLoad()}).
     *
     * @throws IllegalArgumentException when the selection or a preloaded index names no descendant
     * @throws IOException              when the source fails to load one
     */
    public BlockSwitcher(DescendantSource source, ResidencyPolicy policy, int... selection) throws IOException {
        this(source, policy, CpuExecution.current(), selection);
    }

    /**
     * A switcher like {@link #BlockSwitcher(DescendantSource, ResidencyPolicy, int...)} whose model runs on
     * {@code device} (the frame and every descendant compiled for it).
     *
     * @throws UnsupportedOperationException naming the first node of the model the device cannot run
     */
    public BlockSwitcher(DescendantSource source, ResidencyPolicy policy, ExecutionDevice device, int... selection)
            throws IOException {
        this.source = source;
        this.policy = policy;
        source.checkSelection("BlockSwitcher", selection);
        this.pieces = new CompiledBlocks(source.model(), source.blocks(), device);
        int[][] preloaded = policy.preloaded();
        if (preloaded.length > source.blocks().size()) {
            throw new IllegalArgumentException("BlockSwitcher: preloaded descendants for " + preloaded.length
                    + " blocks, the model has " + source.blocks().size());
        }
        for (int i = 0; i < preloaded.length; i++) {
            for (int j : preloaded[i]) {
                source.checkIndex("BlockSwitcher (preloaded)", i, j);
            }
        }
        long t0 = System.nanoTime();
        Tally t = new Tally();
        synchronized (this) {
            for (int i = 0; i < preloaded.length; i++) {
                for (int j : preloaded[i]) {
                    obtain(i, j, t);
                }
            }
            live.set(build(selection, t));
            int dropped = dropUnkept(selection);
            first = new SwitchReport(new int[0], selection, (System.nanoTime() - t0) / 1e6, t.bytes, t.loaded,
                    t.reused, dropped);
        }
    }

    /** What loading the preloaded descendants and the first composition cost. */
    public SwitchReport firstLoad() {
        return first;
    }

    /** The model's blocks, in order. */
    public List<Block> blocks() {
        return source.blocks();
    }

    /** The model graph whose frame the compositions share. */
    public Graph model() {
        return source.model();
    }

    /**
     * Times composition {@code c} (one this switcher built) step by step on {@code x}: per call, per block,
     * milliseconds, the frame last ({@link CompiledBlocks#timeInModel}).
     */
    public double[][] timeLive(Composition c, Tensor x, int warmups, int calls) {
        if (!c.hold()) {
            throw new IllegalStateException(c + " was retired and freed; time the live composition");
        }
        try {
            return pieces.timeInModel(c.served(), c.compiled(), x, warmups, calls);
        } finally {
            c.let();
        }
    }

    /** The live composition. */
    public Composition composition() {
        return live.get();
    }

    /** The live selection. */
    public int[] selection() {
        return live.get().selection();
    }

    /** Runs the model on {@code x} with the composition live at the call; safe from any number of threads. */
    public Tensor infer(Tensor x) {
        return inferTagged(x).output();
    }

    /** {@link #infer}, returning the composition it ran on with the output. */
    public InferenceResult inferTagged(Tensor x) {
        while (true) {
            Composition c = live.get();
            if (c == null) {
                throw new IllegalStateException("BlockSwitcher is closed");
            }
            Tensor y = c.tryRun(x);
            if (y != null) {
                return new InferenceResult(y, c);
            }
            // Retired and freed between reading it and running it: the live one is newer.
        }
    }

    /**
     * Makes {@code selection} (one descendant index per block) the live composition: loads what is not
     * loaded, publishes the new composition atomically, then drops what the policy no longer keeps. If a load
     * fails, the live composition stays as it was.
     *
     * @throws IllegalArgumentException when the length is not the number of blocks or an index is out of
     *                                  range (the message names the block and its range)
     * @throws IOException              when the source fails to load a descendant
     */
    public synchronized SwitchReport switchTo(int... selection) throws IOException {
        source.checkSelection("BlockSwitcher", selection);
        long t0 = System.nanoTime();
        Composition before = live.get();
        if (before == null) {
            throw new IllegalStateException("BlockSwitcher is closed");
        }
        Tally t = new Tally();
        Composition next;
        try {
            next = build(selection, t);
        } catch (IOException | RuntimeException e) {
            dropUnkept(before.selection());
            throw e;
        }
        live.set(next);
        before.retire();
        int dropped = dropUnkept(selection);
        return new SwitchReport(before.selection(), selection, (System.nanoTime() - t0) / 1e6, t.bytes, t.loaded,
                t.reused, dropped);
    }

    /** Whether descendant {@code j} of the {@code block}-th block is loaded now. */
    public synchronized boolean isLoaded(int block, int j) {
        return loaded.containsKey(new Slot(block, j));
    }

    /** How many descendants are loaded now. */
    public synchronized int loadedCount() {
        return loaded.size();
    }

    private Composition build(int[] selection, Tally t) throws IOException {
        List<Descendant> chosen = new ArrayList<>(selection.length);
        List<CompiledGraph> compiled = new ArrayList<>(selection.length);
        List<Loaded> held = new ArrayList<>(selection.length);
        for (int i = 0; i < selection.length; i++) {
            Loaded l = obtain(i, selection[i], t);
            chosen.add(l.descendant);
            compiled.add(l.compiled);
            held.add(l);
        }
        held.forEach(Loaded::hold);
        try {
            return Composition.of(pieces, selection, chosen, compiled, () -> held.forEach(Loaded::let));
        } catch (RuntimeException e) {
            held.forEach(Loaded::let);
            throw e;
        }
    }

    /** The loaded descendant at ({@code block}, {@code j}), loading and compiling it if needed. */
    private Loaded obtain(int block, int j, Tally t) throws IOException {
        Slot s = new Slot(block, j);
        Loaded l = loaded.get(s);
        if (l != null) {
            t.reused++;
            return l;
        }
        DescendantSource.Loaded fetched = source.load(block, j);
        t.loaded++;
        t.bytes += fetched.bytes();
        l = new Loaded(fetched.descendant(), CompiledBlocks.compile(fetched.descendant(), pieces.device()));
        loaded.put(s, l);
        return l;
    }

    /** Drops every loaded descendant that the policy does not keep with {@code selection} live. */
    private int dropUnkept(int[] selection) {
        int dropped = 0;
        for (Iterator<Map.Entry<Slot, Loaded>> it = loaded.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Slot, Loaded> e = it.next();
            if (!policy.keeps(e.getKey().block(), e.getKey().index(), selection)) {
                it.remove();
                e.getValue().let();
                dropped++;
            }
        }
        return dropped;
    }

    /**
     * Retires the live composition and lets go of every loaded descendant and the frame: on a device with
     * memory of its own, all is freed once the inferences running now return. Later inferences fail.
     */
    @Override
    public synchronized void close() {
        Composition c = live.getAndSet(null);
        if (c == null) {
            return;
        }
        c.retire();
        for (Loaded l : loaded.values()) {
            l.let();
        }
        loaded.clear();
        pieces.close();
    }
}
