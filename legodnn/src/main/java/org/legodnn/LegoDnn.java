package org.legodnn;

import java.io.IOException;
import java.nio.file.Path;
import org.legodnn.core.online.BlockSwitcher;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.StoreDescendants;
import org.legodnn.graph.analysis.GraphAnalysis;

/**
 * The library's front door, so that a program serves a LegoDNN model with one call instead of assembling a
 * block switcher, profiles and latency tables itself: it opens a block store written by the offline stage
 * ({@code legodnn offline}) as a running model, every block at its original (sparsity 0) descendant.
 *
 * <pre>{@code
 * LegoDnnRuntime model = LegoDnn.open(Path.of("legodnn-demo/store"));
 * model.update(1.5, 1 << 20);          // the most accurate composition within 1.5 ms and 1 MiB
 * Tensor logits = model.infer(images);  // served by the composition just swapped in
 * }</pre>
 */
public final class LegoDnn {

    private LegoDnn() {
    }

    /**
     * Opens the block store at {@code store} (every file checked against the index's SHA-256) with the default
     * runtime settings ({@link LegoDnnRuntime.Settings#defaults()}); descendants are read when first chosen.
     *
     * @throws IOException when the store is missing, corrupt or written by an incompatible version
     */
    public static LegoDnnRuntime open(Path store) throws IOException {
        StoreDescendants descendants = StoreDescendants.open(store);
        BlockSwitcher switcher = new BlockSwitcher(descendants, new int[descendants.blocks().size()]);
        return new LegoDnnRuntime(switcher, descendants.store().profiles(), descendants.store().latency(),
                GraphAnalysis.peakActivationBytes(descendants.model()), LegoDnnRuntime.Settings.defaults());
    }
}
