package org.legodnn.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static String run(boolean live, double interval) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), live, interval);
        bar.epochStart(0, 2, 3, 30);
        for (int i = 1; i <= 3; i++) {
            bar.step(i, 10 * i, 1.0 / i, 0.3 * i);
        }
        bar.evaluating();
        bar.epochEnd(new EpochResult(0, 2, 0.5, 0.6, 0.75, 100, 0.05, 2.0, 15));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void liveModeRedrawsOneLine() {
        String out = run(true, 30);
        assertTrue(out.contains("\r"), out);
        assertTrue(out.contains("[========================] 3/3"), out);
        assertTrue(out.contains("epoch 1/2  loss 0.5000  train 60.00%  test 75.00%"), out);
        assertEquals(1, out.split("\n").length, "one line, redrawn in place");
        assertTrue(out.endsWith(System.lineSeparator()));
    }

    @Test
    void plainModePrintsWholeLinesOnly() {
        String out = run(false, 0);
        assertFalse(out.contains("\r"), out);
        assertTrue(out.contains("epoch 1/2 1/3  loss 1.0000  acc 30.00%"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("epoch 1/2  loss 0.5000")), out);
        String quiet = run(false, 3600);
        assertEquals(1, quiet.lines().count(), "only the summary within the interval: " + quiet);
    }

    @Test
    void theRunningLineNamesTheTasksMetric() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 0, "mIoU");
        bar.epochStart(0, 1, 2, 20);
        bar.step(1, 10, 0.5, 0.25);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("epoch 1/1 1/2  loss 0.5000  mIoU 25.00%"), out);
    }

    @Test
    void durations() {
        assertEquals("0:05", ProgressBar.duration(4.6));
        assertEquals("12:03", ProgressBar.duration(723));
        assertEquals("1:02:03", ProgressBar.duration(3723));
    }
}
