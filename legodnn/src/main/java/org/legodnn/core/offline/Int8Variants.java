package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Precision;
import org.legodnn.graph.Graph;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.graph.quant.Calibration;
import org.legodnn.graph.quant.StaticQuantizer;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.train.TaskProgress;
import org.legodnn.tensor.Tensor;

/**
 * Makes precision a scaling dimension: beside every fp32 descendant of every block it puts the same descendant in
 * int8 ({@link StaticQuantizer}: BatchNorm folded, weights int8 per output channel, activations uint8 per tensor,
 * as a QDQ graph), so that a block can shrink to a quarter of its bytes without losing channels. Each block is
 * calibrated on its own input as the teacher computes it ({@link FeatureTaps}), the features retraining fits the
 * descendants to, so a descendant's ranges do not depend on which descendants run before it.
 */
public final class Int8Variants {

    /** Training images whose block inputs calibrate the int8 ranges, unless told otherwise. */
    public static final int DEFAULT_IMAGES = 256;

    private Int8Variants() {
    }

    /**
     * Per block, its fp32 descendants followed by their int8 variants in the same sparsity order (the order of
     * {@link org.legodnn.core.prune.BlockOptions}); descendants already in int8 are made again from the fp32 ones.
     *
     * @param calibration images whose teacher block inputs calibrate the activation ranges (min-max)
     * @param normalize   the teacher's input normalization (null: none)
     * @param progress    one line per block (null: silent)
     * @throws IllegalArgumentException when {@code calibration} is empty
     */
    public static List<List<Descendant>> add(Graph teacher, List<Block> blocks, List<List<Descendant>> descendants,
                                             Dataset calibration, Normalize normalize, int batchSize,
                                             TaskProgress progress) {
        if (calibration.size() == 0) {
            throw new IllegalArgumentException("Int8Variants: no calibration images");
        }
        TaskProgress log = TaskProgress.orNone(progress);
        List<List<Tensor>> inputs = blockInputs(teacher, blocks, calibration, normalize, batchSize);
        List<List<Descendant>> out = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            List<Descendant> fp32 = descendants.get(i).stream().filter(d -> d.precision() == Precision.FP32).toList();
            List<Descendant> options = new ArrayList<>(fp32);
            for (Descendant d : fp32) {
                options.add(quantize(d, inputs.get(i)));
            }
            inputs.set(i, null); // the block's features are no longer needed
            out.add(List.copyOf(options));
            log.note(String.format(Locale.ROOT, "int8: block-%d, %d descendants calibrated on %d images",
                    blocks.get(i).index(), fp32.size(), calibration.size()));
        }
        return List.copyOf(out);
    }

    /**
     * {@code d} in int8, its activation ranges observed on {@code inputs} (batches of its block's input); the
     * graph keeps the block's input shape, so it composes like {@code d}.
     */
    static Descendant quantize(Descendant d, List<Tensor> inputs) {
        Graph g = d.module().graph();
        ValueInfo in = g.inputs().get(0);
        int[] open = in.shape();
        open[0] = -1;
        Graph q = StaticQuantizer.quantize(g.withInputShapes(Map.of(in.name(), open)), inputs, Calibration.MINMAX,
                line -> { }).graph();
        GraphModule module = new GraphModule(q.withInputShapes(Map.of(in.name(), in.shape())));
        module.eval();
        return d.in(Precision.INT8, module.graph(), module);
    }

    /** Per block, the teacher's input to it for every batch of {@code images}. */
    private static List<List<Tensor>> blockInputs(Graph teacher, List<Block> blocks, Dataset images,
                                                  Normalize normalize, int batchSize) {
        FeatureTaps taps = new FeatureTaps(teacher, blocks);
        List<List<Tensor>> inputs = new ArrayList<>(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            inputs.add(new ArrayList<>());
        }
        try (DataLoader loader = new DataLoader(images, DataLoader.Settings.evaluation(batchSize, normalize));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            while (epoch.hasNext()) {
                List<FeatureTaps.Pair> pairs = taps.capture(epoch.next().images());
                for (int i = 0; i < blocks.size(); i++) {
                    inputs.get(i).add(pairs.get(i).input());
                }
            }
        }
        return inputs;
    }
}
