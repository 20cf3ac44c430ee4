package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.prune.Descendant;
import org.legodnn.graph.Node;
import org.legodnn.tensor.Tensor;

/**
 * Retraining and profiling stop at the first NaN or infinity with one line naming the block and descendant (and
 * for a loss the epoch and step), instead of finishing with "train NaN val NaN" or NaN accuracies.
 */
class NanDetectionTest {

    private static void poison(Descendant d) {
        d.module().parameters().get(0).data()[0] = Float.NaN;
    }

    private static void assertMatches(String regex, String message) {
        assertFalse(message.contains("\n"), message);
        assertTrue(message.matches(regex), "'" + regex + "' matches: " + message);
    }

    @Test
    void aDescendantThatOutputsNanIsNamedBeforeRetraining() throws IOException {
        TinyTeacher t = new TinyTeacher(64, 16);
        Descendant d = t.descendants.get(1).get(2);
        poison(d);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Retrainer.retrain(t.graph, t.blocks,
                t.descendants, t.train, t.normalize, new RetrainOptions(1, 16, 1e-3, 0.25, 1), null));
        assertMatches("retraining block " + d.blockIndex() + " descendant 0\\.8: held-out MSE is NaN before retraining",
                e.getMessage());
    }

    @Test
    void aDivergingLossIsNamedWithItsEpochAndStep() throws IOException {
        TinyTeacher t = new TinyTeacher(64, 16);
        // Adam moves every weight by about lr per step: 1e30 overflows the block outputs within a step or two
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Retrainer.retrain(t.graph, t.blocks,
                t.descendants, t.train, t.normalize, new RetrainOptions(2, 16, 1e30, 0.25, 1), null));
        assertMatches("retraining block \\d+ descendant 0\\.[048]: loss is (NaN|Infinity) at epoch 1, step \\d+"
                + " \\(Adam lr 1\\.0E30\\); lower --lr", e.getMessage());
    }

    @Test
    void aTeacherThatOutputsNanIsNamed() throws IOException {
        TinyTeacher t = new TinyTeacher(64, 16);
        Block b = t.blocks.get(1);
        Node first = t.graph.nodes().get(b.firstNode());
        String weight = first.inputs().stream().filter(t.graph::isInitializer).findFirst().orElseThrow();
        Tensor w = t.graph.initializer(weight);
        java.util.Arrays.fill(w.data(), Float.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Retrainer.retrain(t.graph, t.blocks,
                t.descendants, t.train, t.normalize, new RetrainOptions(1, 16, 1e-3, 0.25, 1), null));
        assertMatches("retraining block " + b.index() + ": the teacher's output of the block is NaN at index 0 of"
                + " \\[\\d+, \\d+, \\d+, \\d+\\] on held-out images \\(check the teacher's weights and the data\\)",
                e.getMessage());
    }

    @Test
    void profilingNamesTheDescendantWhoseCompositionOutputsNan() throws IOException {
        TinyTeacher t = new TinyTeacher(32, 16);
        Descendant d = t.descendants.get(2).get(1);
        poison(d);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Profiler.profile(t.graph, t.blocks,
                t.descendants, TinyTeacher.SPARSITIES, t.test, t.normalize, 16, null));
        assertMatches("profiling block " + d.blockIndex() + " descendant 0\\.4 \\(the other blocks at descendant 0\\):"
                + " the model's output is NaN at index 0 of \\[16, 10\\]", e.getMessage());
    }
}
