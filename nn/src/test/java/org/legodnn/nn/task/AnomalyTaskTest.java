package org.legodnn.nn.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.InMemoryDataset;
import org.legodnn.nn.data.OneClassData;
import org.legodnn.nn.data.Targets;
import org.legodnn.tensor.Tensor;

/** The anomaly task's decoding, its AUROC over batches (class 0 normal), and the one-class splits. */
class AnomalyTaskTest {

    @Test
    void aurocOverTwoBatchesCountsEveryPairAndTiesAsHalf() {
        Metric m = AnomalyDetection.TASK.newMetric(2);
        // normal scores 0.1, 0.4; anomaly scores 0.4 (a tie), 0.9 -> pairs: (0.4>0.1) 1, (0.4=0.4) 1/2, 0.9 twice 1.
        m.add(AnomalyDetection.TASK.decode(Tensor.of(new float[] {0.1f, 0.4f}, 2, 1)), new Targets.Classes(new int[] {0, 3}));
        m.add(AnomalyDetection.TASK.decode(Tensor.of(new float[] {0.4f, 0.9f}, 2)), new Targets.Classes(new int[] {0, 7}));
        assertEquals(4, m.samples());
        assertEquals(3.5 / 4, m.value(), 1e-12);
        assertEquals("AUROC", AnomalyDetection.TASK.metricName());
        assertThrows(IllegalArgumentException.class, () -> AnomalyDetection.TASK.decode(Tensor.zeros(2, 3)));
        assertThrows(UnsupportedOperationException.class, () -> AnomalyDetection.TASK.loss(Tensor.zeros(2, 1), null));
    }

    @Test
    void oneClassSplitsTrainOnTheNormalClassAndScoreOnAll() {
        byte[] pixels = new byte[6];
        Dataset base = new InMemoryDataset(pixels, new int[] {0, 1, 2, 1, 0, 2}, 1, 1, 1, List.of("a", "b", "c"));
        OneClassData train = OneClassData.normalOnly(base, 1);
        assertEquals(2, train.size());
        assertEquals(0, train.label(0) + train.label(1));
        OneClassData test = OneClassData.all(base, 1);
        assertEquals(6, test.size());
        int[] labels = new int[6];
        for (int i = 0; i < 6; i++) {
            labels[i] = test.label(i);
        }
        assertEquals(List.of(1, 0, 1, 0, 1, 1), java.util.Arrays.stream(labels).boxed().toList());
        assertEquals(List.of("normal (b)", "anomaly"), test.classNames());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OneClassData.all(base, 3));
        assertTrue(e.getMessage().contains("normal class 3"), e.getMessage());
    }
}
