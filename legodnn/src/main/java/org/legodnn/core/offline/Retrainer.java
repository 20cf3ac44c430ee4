package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Graph;
import org.legodnn.nn.data.Augment;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.optim.Adam;
import org.legodnn.nn.train.TaskProgress;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.NonFinite;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * LegoDNN's third offline step: pruning leaves descendants that no longer compute their block's function, so
 * each is trained to map the block's teacher input to the teacher's block output (MSE, Adam), as the original
 * does. Descendant 0.0 is trained too; every descendant keeps the weights of its best epoch by held-out MSE,
 * the untrained weights counting as epoch 0 (so a descendant never ends worse than it started).
 *
 * <p>Memory stays bounded by one batch: for each training batch the teacher runs once ({@link FeatureTaps}),
 * then every descendant of every block takes one step on that batch's features, then the features are
 * dropped. Peak beyond the weights ≈ {@code batch × 4 bytes × (elements per image of the distinct block
 * inputs and outputs)} for the captured features (a block's output is usually the next one's input; about
 * 55 MB for the CIFAR ResNet-20 on 28×28 images at batch 128: 14 values, 106,624 floats per image), plus one
 * descendant's training activations for one batch, plus per descendant its Adam moments and a copy of its
 * best weights (3× its parameters). Nothing grows with the data set size.
 *
 * <p>Numbers that break stop the run with one line naming where: a teacher feature, a training loss (block,
 * descendant, epoch and step) or a held-out MSE that is NaN or infinite — never a store of NaN weights.
 */
public final class Retrainer {

    private Retrainer() {
    }

    /**
     * Retrains {@code descendants} (per block, as {@link org.legodnn.core.prune.Descendants#of} returns them) in
     * place, on {@code train} normalized with {@code normalize}; returns one result per descendant, block by block.
     *
     * @param progress a bar over each epoch's batches and a kept line per block and epoch (null: silent)
     */
    public static List<RetrainResult> retrain(Graph teacher, List<Block> blocks, List<List<Descendant>> descendants,
                                              Dataset train, Normalize normalize, RetrainOptions options,
                                              TaskProgress progress) {
        TaskProgress log = TaskProgress.orNone(progress);
        if (train.size() < 2) {
            throw new IllegalArgumentException("Retrainer: " + train.size() + " training images; at least 2 needed"
                    + " (one held out)");
        }
        int n = train.size();
        int held = Math.max(1, Math.min(n - 1, (int) Math.round(n * options.validationFraction())));
        Dataset fit = train.subset(range(0, n - held));
        Dataset val = train.subset(range(n - held, n));
        FeatureTaps taps = new FeatureTaps(teacher, blocks);

        List<List<Adam>> optimizers = new ArrayList<>();
        List<List<Map<String, Tensor>>> best = new ArrayList<>();
        for (List<Descendant> ds : descendants) {
            List<Adam> os = new ArrayList<>();
            List<Map<String, Tensor>> bs = new ArrayList<>();
            for (Descendant d : ds) {
                os.add(new Adam(d.module().parameters(), options.lr()));
                bs.add(copy(d.module().stateDict()));
            }
            optimizers.add(os);
            best.add(bs);
        }
        double[][] before = validate(taps, descendants, val, normalize, options.batchSize());
        requireFinite(before, descendants, "before retraining");
        double[][] bestMse = new double[before.length][];
        int[][] bestEpoch = new int[before.length][];
        for (int i = 0; i < before.length; i++) {
            bestMse[i] = before[i].clone();
            bestEpoch[i] = new int[before[i].length];
        }
        try (DataLoader loader = new DataLoader(fit,
                DataLoader.Settings.training(options.batchSize(), options.seed(), Augment.NONE, normalize))) {
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                double[][] lossSum = new double[before.length][];
                for (int i = 0; i < before.length; i++) {
                    lossSum[i] = new double[before[i].length];
                }
                int steps = 0;
                try (DataLoader.Epoch batches = loader.epoch(epoch - 1)) {
                    log.begin(String.format(Locale.ROOT, "retrain epoch %d/%d", epoch, options.epochs()),
                            batches.batches());
                    while (batches.hasNext()) {
                        Batch b = batches.next();
                        List<FeatureTaps.Pair> pairs = taps.capture(b.images());
                        steps++;
                        requireFiniteTeacher(pairs, descendants, "at epoch " + epoch + ", step " + steps);
                        for (int i = 0; i < descendants.size(); i++) {
                            for (int j = 0; j < descendants.get(i).size(); j++) {
                                Descendant d = descendants.get(i).get(j);
                                double loss = step(d, optimizers.get(i).get(j), pairs.get(i));
                                if (!Double.isFinite(loss)) {
                                    throw new IllegalStateException(String.format(Locale.ROOT, "retraining block %d"
                                            + " descendant %s: loss is %s at epoch %d, step %d (Adam lr %s); lower"
                                            + " --lr", d.blockIndex(), d.sparsity(), loss, epoch, steps, options.lr()));
                                }
                                lossSum[i][j] += loss;
                            }
                        }
                        log.advance(steps);
                    }
                }
                log.end();
                double[][] mse = validate(taps, descendants, val, normalize, options.batchSize());
                requireFinite(mse, descendants, "after epoch " + epoch);
                for (int i = 0; i < mse.length; i++) {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  block-%d epoch %d/%d:",
                            blocks.get(i).index(), epoch, options.epochs()));
                    for (int j = 0; j < mse[i].length; j++) {
                        Descendant d = descendants.get(i).get(j);
                        if (mse[i][j] < bestMse[i][j]) {
                            bestMse[i][j] = mse[i][j];
                            bestEpoch[i][j] = epoch;
                            best.get(i).set(j, copy(d.module().stateDict()));
                        }
                        line.append(String.format(Locale.ROOT, " s%.2f train %.4g val %.4g", d.sparsity(),
                                lossSum[i][j] / Math.max(1, steps), mse[i][j]));
                    }
                    log.note(line.toString());
                }
            }
        }
        List<RetrainResult> out = new ArrayList<>();
        for (int i = 0; i < descendants.size(); i++) {
            for (int j = 0; j < descendants.get(i).size(); j++) {
                Descendant d = descendants.get(i).get(j);
                d.module().loadStateDict(best.get(i).get(j), true);
                d.module().eval();
                out.add(new RetrainResult(d.blockIndex(), d.sparsity(), before[i][j], bestMse[i][j], bestEpoch[i][j]));
            }
        }
        return out;
    }

    /** Fails naming the first block whose teacher features (what descendants learn from) are NaN or infinite. */
    private static void requireFiniteTeacher(List<FeatureTaps.Pair> pairs, List<List<Descendant>> descendants,
                                             String when) {
        for (int i = 0; i < pairs.size(); i++) {
            String bad = NonFinite.describe(pairs.get(i).output());
            if (bad != null) {
                throw new IllegalStateException(String.format(Locale.ROOT, "retraining block %d: the teacher's output"
                        + " of the block is %s %s (check the teacher's weights and the data)",
                        descendants.get(i).get(0).blockIndex(), bad, when));
            }
        }
    }

    /** Fails naming the first descendant whose held-out MSE {@code when} is NaN or infinite. */
    private static void requireFinite(double[][] mse, List<List<Descendant>> descendants, String when) {
        for (int i = 0; i < mse.length; i++) {
            for (int j = 0; j < mse[i].length; j++) {
                if (!Double.isFinite(mse[i][j])) {
                    Descendant d = descendants.get(i).get(j);
                    throw new IllegalStateException(String.format(Locale.ROOT, "retraining block %d descendant %s:"
                            + " held-out MSE is %s %s", d.blockIndex(), d.sparsity(), mse[i][j], when));
                }
            }
        }
    }

    /** One Adam step of {@code d} on one batch of teacher features; returns the loss. */
    private static double step(Descendant d, Adam optimizer, FeatureTaps.Pair pair) {
        d.module().train();
        optimizer.zeroGrad();
        Tensor loss = Ops.mse(d.module().forward(pair.input()), pair.output());
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /** Per block and descendant, the MSE on {@code val} (eval mode), averaged over all values. */
    static double[][] validate(FeatureTaps taps, List<List<Descendant>> descendants, Dataset val, Normalize normalize,
                               int batchSize) {
        double[][] sum = new double[descendants.size()][];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = new double[descendants.get(i).size()];
            for (Descendant d : descendants.get(i)) {
                d.module().eval();
            }
        }
        int images = 0;
        try (var noGrad = Autograd.noGrad();
             DataLoader loader = new DataLoader(val, DataLoader.Settings.evaluation(batchSize, normalize));
             DataLoader.Epoch batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                List<FeatureTaps.Pair> pairs = taps.capture(b.images());
                requireFiniteTeacher(pairs, descendants, "on held-out images");
                for (int i = 0; i < sum.length; i++) {
                    for (int j = 0; j < sum[i].length; j++) {
                        Tensor y = descendants.get(i).get(j).module().forward(pairs.get(i).input());
                        sum[i][j] += Ops.mse(y, pairs.get(i).output()).item() * b.size();
                    }
                }
                images += b.size();
            }
        }
        for (double[] row : sum) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= Math.max(1, images);
            }
        }
        return sum;
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
