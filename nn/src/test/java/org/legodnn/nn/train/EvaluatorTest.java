package org.legodnn.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.tensor.Tensor;

class EvaluatorTest {

    @Test
    void countsArgmaxHits() {
        Tensor logits = Tensor.of(new float[] {1, 3, 2, 5, 0, 5, -1, -2, -3}, 3, 3);
        // rows: argmax 1, 0 (first of the tied maxima), 0
        assertEquals(3, Evaluator.countCorrect(logits, new int[] {1, 0, 0}));
        assertEquals(1, Evaluator.countCorrect(logits, new int[] {1, 2, 1}));
        assertThrows(IllegalArgumentException.class, () -> Evaluator.countCorrect(logits, new int[] {1}));
    }

    @Test
    void evaluatesOnTheShippedSubsetAndRestoresTheMode() throws IOException {
        DataCatalog.Source s = DataCatalog.shipped("fashion-mnist");
        Dataset test = s.test().load().first(500);
        TinyNet net = new TinyNet(1, 10, 3);
        net.train();
        Evaluator.Result r = Evaluator.evaluate(net, test, s.normalize(), 128);
        assertEquals(500, r.samples());
        assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1);
        assertTrue(net.isTraining(), "training mode is restored");
        net.eval();
        Evaluator.Result again = Evaluator.evaluate(net, test, s.normalize(), 64);
        assertEquals(r.correct(), again.correct(), "batch size does not change the result in eval mode");
        assertTrue(!net.isTraining());
    }

    @Test
    void aNanOutputStopsTheEvaluationNamingTheImage() throws IOException {
        DataCatalog.Source s = DataCatalog.shipped("fashion-mnist");
        Dataset test = s.test().load().first(40);
        TinyNet net = new TinyNet(1, 10, 3);
        Tensor bias = net.stateDict().get("fc.bias");
        bias.data()[7] = Float.NaN;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Evaluator.evaluate(net, test, s.normalize(), 16));
        assertEquals("the model's output for test image 0 is NaN (value 7 of 10): no score can be measured;"
                + " check the weights", e.getMessage());
    }
}
