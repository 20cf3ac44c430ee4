package org.legodnn.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Targets;
import org.legodnn.nn.optim.SGD;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Metric;
import org.legodnn.nn.task.Score;
import org.legodnn.nn.task.Task;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.ReferenceData;

/**
 * The README's "Tasks" example, a task of a user's own, is the class between the markers word for word, and it
 * trains and evaluates through the same {@link Trainer} and {@link Evaluator} as the built-in tasks.
 */
class ReadmeTaskExampleTest {

    private static final String START = "// readme-task-example-start";
    private static final String END = "// readme-task-example-end";

    // readme-task-example-start
    /** Classification scored by balanced accuracy: the mean over classes of the fraction of each class found. */
    static final class BalancedClassification implements Task {
        public String name() { return "balanced-classification"; }
        public String metricName() { return "balanced_accuracy"; }
        public Targets.Kind targets() { return Targets.Kind.CLASSES; }    // one class per image
        public String defaultDataset() { return "fashion-mnist"; }

        public Tensor loss(Tensor logits, Batch batch) {
            return Ops.crossEntropy(logits, batch.labels());
        }

        public Targets decode(Tensor logits) {
            return Classification.TASK.decode(logits);                    // argmax per row
        }

        public Metric newMetric(int classes) {
            long[] found = new long[classes];
            long[] seen = new long[classes];
            return new Metric() {
                int images;

                public void add(Targets predicted, Targets truth) {
                    int[] p = ((Targets.Classes) predicted).labels();
                    int[] t = ((Targets.Classes) truth).labels();
                    for (int i = 0; i < t.length; i++) {
                        seen[t[i]]++;
                        found[t[i]] += p[i] == t[i] ? 1 : 0;
                    }
                    images += t.length;
                }

                public int samples() { return images; }

                public double value() {
                    double sum = 0;
                    int present = 0;
                    for (int k = 0; k < seen.length; k++) {
                        if (seen[k] > 0) {
                            sum += (double) found[k] / seen[k];
                            present++;
                        }
                    }
                    return present == 0 ? 0 : sum / present;
                }
            };
        }
    }
    // readme-task-example-end

    static Score trainAndScore(Task task, Dataset train, Dataset test) throws IOException {
        TinyNet model = new TinyNet(1, 10, 1);
        SGD sgd = new SGD(model.parameters(), 0.1, 0.9, 0, false);
        Trainer.Options options = new Trainer.Options(1, 32, 1, null, null, null, null, 64, null, null, Map.of());
        // readme-task-usage-start
        new Trainer(model, task, sgd, options, Progress.NONE).fit(train, test);
        Score score = Evaluator.evaluate(task, model, test, null, 64);  // score.metric() = "balanced_accuracy"
        // readme-task-usage-end
        return score;
    }

    @Test
    void readmeShowsTheExample() throws IOException {
        Path root = ReferenceData.testdata().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        List<String> source = Files.readAllLines(root.resolve(
                "nn/src/test/java/org/legodnn/nn/train/ReadmeTaskExampleTest.java"));
        for (String[] markers : new String[][] {{"    " + START, "    " + END, "    "},
            {"        // readme-task-usage-start", "        // readme-task-usage-end", "        "}}) {
            int from = source.indexOf(markers[0]);
            int to = source.indexOf(markers[1]);
            assertTrue(from > 0 && to > from, "markers in this file");
            StringBuilder body = new StringBuilder();
            for (String line : source.subList(from + 1, to)) {
                body.append(line.startsWith(markers[2]) ? line.substring(markers[2].length()) : line.strip()).append('\n');
            }
            assertTrue(readme.contains(body), "README.md's task example differs from:\n" + body);
        }
    }

    @Test
    void theExampleTaskTrainsAndScores() throws IOException {
        DataCatalog.Source s = DataCatalog.shipped("fashion-mnist");
        Dataset train = s.train().load().first(128);
        Dataset test = s.test().load().first(100);
        Score score = trainAndScore(new BalancedClassification(), train, test);
        assertEquals("balanced_accuracy", score.metric());
        assertEquals(100, score.samples());
        assertTrue(score.value() >= 0 && score.value() <= 1, score.toString());
        // Balanced accuracy by hand:
        Metric m = new BalancedClassification().newMetric(3);
        m.add(new Targets.Classes(new int[] {0, 1, 1, 2, 2, 2}), new Targets.Classes(new int[] {0, 1, 2, 2, 2, 0}));
        // class 0: 1 of 2, class 1: 1 of 1, class 2: 2 of 3
        assertEquals((0.5 + 1 + 2.0 / 3) / 3, m.value(), 1e-12);
    }
}
