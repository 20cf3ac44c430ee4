package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Retraining on a tiny teacher: every pruned descendant gets closer to the teacher's block output, none gets worse. */
class RetrainerTest {

    @Test
    void retrainingLowersHeldOutMseOfEveryPrunedDescendant() throws Exception {
        TinyTeacher t = new TinyTeacher(256, 64);
        List<RetrainResult> results = Retrainer.retrain(t.graph, t.blocks, t.descendants, t.train, t.normalize,
                new RetrainOptions(2, 32, 1e-3, 0.25, 1), null);
        assertEquals(t.blocks.size() * TinyTeacher.SPARSITIES.length, results.size());
        for (RetrainResult r : results) {
            assertTrue(r.mseBest() <= r.mseBefore(), r.toString());
            if (r.sparsity() == 0) {
                assertTrue(r.mseBefore() < 1e-8, "the unpruned block computes the teacher's output: " + r);
            } else {
                assertTrue(r.mseBest() < r.mseBefore(), "retraining should help: " + r);
                assertTrue(r.bestEpoch() >= 1, r.toString());
            }
        }
    }
}
