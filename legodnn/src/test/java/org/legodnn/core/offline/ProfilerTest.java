package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.core.prune.ComposedModel;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.train.Evaluator;

/** Profiling a tiny teacher: the rows, the sparsity-0 drops, the cache of whole-model accuracies. */
class ProfilerTest {

    @Test
    void oneRowPerBlockAndSparsityWithZeroDropAtSparsityZero() throws Exception {
        TinyTeacher t = new TinyTeacher(64, 96);
        Profiles p = Profiler.profile(t.graph, t.blocks, t.descendants, TinyTeacher.SPARSITIES, t.test, t.normalize,
                64, null);
        int n = TinyTeacher.SPARSITIES.length;
        assertEquals(t.blocks.size() * n, p.rows().size());
        assertEquals(96, p.testImages());
        for (int i = 0; i < t.blocks.size(); i++) {
            for (int j = 0; j < n; j++) {
                BlockProfile r = p.row(i, j);
                assertEquals(t.blocks.get(i).index(), r.blockIndex());
                assertEquals(TinyTeacher.SPARSITIES[j], r.sparsity());
                assertEquals(t.descendants.get(i).get(j).params(), r.params());
                assertTrue(r.sizeBytes() >= 4 * r.params(), "running statistics are stored too: " + r);
                assertTrue(r.peakActivationBytes() > 0, r.toString());
                if (j == 0) {
                    assertEquals(0.0, r.accuracyDrop(), r.toString());
                    assertEquals(t.blocks.get(i).params(), r.params());
                } else {
                    assertTrue(r.params() < p.row(i, 0).params(), r.toString());
                    assertTrue(r.sizeBytes() < p.row(i, 0).sizeBytes(), r.toString());
                }
            }
        }
        // every whole-model accuracy measured once: the cache holds distinct selections, env 1 among them
        List<Integer> zeros = new ArrayList<>(Collections.nCopies(t.blocks.size(), 0));
        assertEquals(p.teacherAccuracy(), p.tested().get(zeros));
        java.util.Set<List<Integer>> distinct = new java.util.HashSet<>();
        for (int i = 0; i < t.blocks.size(); i++) {
            for (int j = 0; j < n; j++) {
                for (int env : new int[] {0, (n - 1) / 2, n - 1}) {
                    List<Integer> sel = new ArrayList<>(Collections.nCopies(t.blocks.size(), env));
                    sel.set(i, 0);
                    distinct.add(List.copyOf(sel));
                    sel.set(i, j);
                    distinct.add(List.copyOf(sel));
                }
            }
        }
        assertEquals(distinct, p.tested().keySet(), "one measurement per distinct selection");
        // the shared-prefix measurement agrees with running each composed model whole
        ComposedModel whole = new ComposedModel(t.graph, t.blocks, t.descendants);
        for (var e : p.tested().entrySet()) {
            whole.select(e.getKey().stream().mapToInt(Integer::intValue).toArray());
            long correct = 0;
            try (DataLoader loader = new DataLoader(t.test, DataLoader.Settings.evaluation(40, t.normalize));
                 DataLoader.Epoch batches = loader.epoch(0)) {
                while (batches.hasNext()) {
                    Batch b = batches.next();
                    correct += Evaluator.countCorrect(whole.forward(b.images()), b.labels());
                }
            }
            assertEquals(correct / 96.0, e.getValue(), 1e-12, "selection " + e.getKey());
        }
        assertEquals(GraphAnalysis.totals(GraphAnalysis.perNode(t.graph)).params(), p.teacherParams());
        assertEquals(Profiler.storedBytes(t.graph), p.teacherBytes());
    }

    @Test
    void aSharedPrefixComputesWhatTheWholeComposedModelDoes() throws Exception {
        TinyTeacher t = new TinyTeacher(16, 16);
        ComposedModel runner = new ComposedModel(t.graph, t.blocks, t.descendants);
        ComposedModel whole = new ComposedModel(t.graph, t.blocks, t.descendants);
        org.legodnn.tensor.Tensor x = org.legodnn.tensor.Tensor.randn(new java.util.Random(5), 3, 1, 28, 28);
        int n = TinyTeacher.SPARSITIES.length;
        for (int env = 0; env < n; env++) {
            int[] base = new int[t.blocks.size()];
            java.util.Arrays.fill(base, env);
            var state = runner.start(x);
            int at = 0;
            for (int i = 0; i < t.blocks.size(); i++) {
                int first = t.blocks.get(i).firstNode();
                runner.advance(state, at, first, base);
                at = first;
                for (int j = 0; j < n; j++) {
                    int[] sel = base.clone();
                    sel[i] = j;
                    org.junit.jupiter.api.Assertions.assertArrayEquals(whole.select(sel).forward(x).data(),
                            runner.finish(state, at, sel).data(), "env " + env + " block " + i + " descendant " + j);
                }
            }
        }
    }
}
