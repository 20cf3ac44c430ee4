package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Precision;
import org.legodnn.graph.Graph;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.analysis.StoredBytes;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Metric;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.train.TaskProgress;
import org.legodnn.tensor.NonFinite;
import org.legodnn.tensor.Tensor;

/**
 * LegoDNN's fourth offline step: measures what each descendant costs in accuracy (the task's metric: top-1
 * for classification, mIoU for segmentation) and saves in size, FLOPs and memory, which is all the run-time
 * optimizer knows about it.
 *
 * <p>The accuracy drop follows the original: a block's effect depends on the other blocks, so it is measured
 * in k = 3 environments — every other block at sparsity 0, every other block at the middle sparsity (index
 * {@code (n-1)/2}), every other block at the largest — as {@code acc(env, this block at sparsity 0) −
 * acc(env, this block at s)}, averaged over the environments. Whole-model accuracies are cached by selection,
 * so a composition shared by several rows (the environments themselves) is evaluated once: per environment
 * the environment itself and every block at each other sparsity, {@code 3 × (1 + blocks × (n − 1))}
 * evaluations of the test set at most. Within an environment the part
 * of the model before a block is computed once per test batch and shared by all descendants tried in that
 * block ({@link ComposedModel#advance}), which roughly halves the work; the test batches are held in memory.
 * An output that is NaN or infinite stops profiling with the block and descendant named: an accuracy counted from
 * it would be meaningless.
 *
 * <p>When the blocks also offer int8 descendants ({@link BlockOptions}), each is profiled like the others, in the
 * same three environments (the others in fp32 at the three sparsities): its drop is what int8 loses on top of
 * pruning, its size counts a byte per weight.
 */
public final class Profiler {

    private final Task task;
    private final int classes;
    private final List<Block> blocks;
    private final ComposedModel composed;
    private final List<List<Descendant>> descendants;
    private final List<Batch> batches = new ArrayList<>();
    private final int images;
    private final Map<List<Integer>, Double> cache = new LinkedHashMap<>();

    private Profiler(Task task, Graph teacher, List<Block> blocks, List<List<Descendant>> descendants, Dataset test,
                     Normalize normalize, int batchSize) {
        task.check(test, "the profiling data set");
        this.task = task;
        this.classes = test.classes();
        this.blocks = List.copyOf(blocks);
        this.composed = new ComposedModel(teacher, blocks, descendants); // also checks every descendant fits its block
        this.descendants = descendants;
        try (DataLoader loader = new DataLoader(test, DataLoader.Settings.evaluation(batchSize, normalize));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            while (epoch.hasNext()) {
                batches.add(epoch.next());
            }
        }
        this.images = test.size();
    }

    /**
     * Profiles every descendant (retrained ones as they now are) of a classifier on {@code test}: the drop is in
     * top-1 accuracy.
     *
     * @param progress a bar over each environment's test batches and a kept line per block (null: silent)
     */
    public static Profiles profile(Graph teacher, List<Block> blocks, List<List<Descendant>> descendants,
                                   double[] sparsities, Dataset test, Normalize normalize, int batchSize,
                                   TaskProgress progress) {
        return profile(Classification.TASK, teacher, blocks, descendants, sparsities, test, normalize, batchSize,
                progress);
    }

    /**
     * Profiles every descendant (retrained ones as they now are) on {@code test}, the drop measured in
     * {@code task}'s metric (top-1 for classification, mIoU for segmentation); the profiles' "accuracy" fields
     * then hold that metric.
     *
     * @param progress a bar over each environment's test batches and a kept line per block (null: silent)
     */
    public static Profiles profile(Task task, Graph teacher, List<Block> blocks, List<List<Descendant>> descendants,
                                   double[] sparsities, Dataset test, Normalize normalize, int batchSize,
                                   TaskProgress progress) {
        TaskProgress log = TaskProgress.orNone(progress);
        BlockOptions options = null;
        for (List<Descendant> ds : descendants) {
            BlockOptions o = BlockOptions.of(sparsities, ds);
            if (options != null && !options.equals(o)) {
                throw new IllegalArgumentException("Profiler: block " + ds.get(0).blockIndex() + " offers " + o
                        + ", an earlier block " + options + " (expected the same options in every block)");
            }
            options = o;
        }
        Profiler p = new Profiler(task, teacher, blocks, descendants, test, normalize, batchSize);
        int n = sparsities.length;
        int m = options == null ? n : options.count();
        int[] envs = {0, (n - 1) / 2, n - 1};
        for (int k = 0; k < envs.length; k++) {
            log.begin(String.format(Locale.ROOT, "profile accuracy, environment %d/%d (others at sparsity %s)", k + 1,
                    envs.length, sparsities[envs[k]]), p.batches.size());
            p.measureEnvironment(envs[k], m, log);
            log.end();
            log.note(String.format(Locale.ROOT, "profile: environment 'others at sparsity %s' measured (%d compositions"
                    + " so far)", sparsities[envs[k]], p.cache.size()));
        }
        List<BlockProfile> rows = new ArrayList<>();
        double teacherAccuracy = p.accuracy(fill(blocks.size(), 0));
        for (int i = 0; i < blocks.size(); i++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "profile block-%d:", blocks.get(i).index()));
            for (int j = 0; j < m; j++) {
                double drop = 0;
                for (int env : envs) {
                    int[] sel = fill(blocks.size(), env);
                    sel[i] = 0;
                    double base = p.accuracy(sel);
                    sel[i] = j;
                    drop += base - p.accuracy(sel);
                }
                drop /= envs.length;
                Descendant d = descendants.get(i).get(j);
                rows.add(new BlockProfile(blocks.get(i).index(), d.sparsity(), drop, d.params(), d.flops(),
                        storedBytes(d.module().graph()), GraphAnalysis.peakActivationBytes(d.graph()), d.precision()));
                line.append(String.format(Locale.ROOT, " s%.2f%s drop %.4f", d.sparsity(),
                        d.precision() == Precision.FP32 ? "" : " " + d.precision().label(), drop));
            }
            log.note(line.toString());
        }
        GraphAnalysis.Totals t = GraphAnalysis.totals(GraphAnalysis.perNode(teacher));
        return new Profiles(sparsities.clone(), List.copyOf(rows), teacherAccuracy, t.params(), t.flops(),
                storedBytes(teacher), p.images, new LinkedHashMap<>(p.cache), task.metricName(),
                options == null ? List.of(Precision.FP32) : options.precisions());
    }

    /**
     * The bytes of the graph's stored values ({@link StoredBytes}): 4 per float, BatchNorm running statistics
     * included; in an int8 descendant 1 per weight plus int32 biases, scales and zero points.
     */
    public static long storedBytes(Graph g) {
        return StoredBytes.of(g);
    }

    /**
     * Measures, in one pass over the test batches, every composition of environment {@code env} (all blocks at
     * descendant {@code env}) with one block {@code i} at any descendant {@code j}, that is not measured yet.
     * Per batch the part of the model before block {@code i} runs once and is shared by every {@code j}.
     */
    private void measureEnvironment(int env, int n, TaskProgress progress) {
        int blockCount = blocks.size();
        int[] base = fill(blockCount, env);
        List<List<Integer>> todo = new ArrayList<>();
        java.util.Set<List<Integer>> claimed = new java.util.HashSet<>(cache.keySet());
        for (int i = 0; i < blockCount; i++) {
            List<Integer> js = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (claimed.add(key(with(base, i, j)))) {
                    js.add(j);
                }
            }
            todo.add(js);
        }
        Metric[][] metrics = new Metric[blockCount][n];
        for (int i = 0; i < blockCount; i++) {
            for (int j : todo.get(i)) {
                metrics[i][j] = task.newMetric(classes);
            }
        }
        int done = 0;
        for (Batch b : batches) {
            Map<String, Tensor> state = composed.start(b.images());
            int at = 0;
            for (int i = 0; i < blockCount; i++) {
                if (todo.get(i).isEmpty()) {
                    continue;
                }
                int first = blocks.get(i).firstNode();
                composed.advance(state, at, first, base);
                at = first;
                for (int j : todo.get(i)) {
                    Tensor output = composed.finish(state, at, with(base, i, j));
                    requireFinite(output, with(base, i, j), i, j, env);
                    metrics[i][j].add(task.decode(output), b.targets());
                }
            }
            progress.advance(++done);
        }
        for (int i = 0; i < blockCount; i++) {
            for (int j : todo.get(i)) {
                cache.put(key(with(base, i, j)), images == 0 ? 0 : metrics[i][j].value());
            }
        }
    }

    /**
     * Fails when the composition {@code selection} output a NaN or infinity, naming block {@code i}'s descendant
     * {@code j} tried in environment {@code env} (-1: a whole composition).
     */
    private void requireFinite(Tensor logits, int[] selection, int i, int j, int env) {
        String bad = NonFinite.describe(logits);
        if (bad == null) {
            return;
        }
        Descendant d = i < 0 ? null : descendants.get(i).get(j);
        throw new IllegalStateException(i < 0
                ? "profiling composition " + Arrays.toString(selection) + ": the model's output is " + bad
                : String.format(Locale.ROOT, "profiling block %d descendant %s (the other blocks at descendant %d):"
                        + " the model's output is %s", d.blockIndex(), d.sparsity(), env, bad));
    }

    private static int[] with(int[] base, int i, int j) {
        int[] sel = base.clone();
        sel[i] = j;
        return sel;
    }

    private static List<Integer> key(int[] selection) {
        List<Integer> key = new ArrayList<>(selection.length);
        for (int s : selection) {
            key.add(s);
        }
        return List.copyOf(key);
    }

    /** The task's metric of the composition {@code selection}, measured once per distinct selection. */
    double accuracy(int[] selection) {
        List<Integer> key = new ArrayList<>();
        for (int s : selection) {
            key.add(s);
        }
        Double cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Metric metric = task.newMetric(classes);
        for (Batch b : batches) {
            Tensor output = composed.finish(composed.start(b.images()), 0, selection);
            requireFinite(output, selection, -1, -1, -1);
            metric.add(task.decode(output), b.targets());
        }
        double acc = images == 0 ? 0 : metric.value();
        cache.put(List.copyOf(key), acc);
        return acc;
    }

    private static int[] fill(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }
}
