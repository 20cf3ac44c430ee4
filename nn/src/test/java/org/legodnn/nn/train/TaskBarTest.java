package org.legodnn.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskBarTest {

    /** Two tasks of 4 steps with a kept line in the middle of the first. */
    private static String run(boolean live, double interval) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TaskBar bar = new TaskBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), live, interval);
        bar.begin("retrain epoch 1/2", 4);
        for (int i = 1; i <= 4; i++) {
            bar.advance(i);
            if (i == 2) {
                bar.note("block-0 epoch 1/2: s0.00 train 0.1 val 0.2");
            }
        }
        bar.begin("retrain epoch 2/2", 4); // ends the first
        bar.advance(4);
        bar.end();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainModeWritesWholeLinesOnly() {
        String out = run(false, 0);
        assertFalse(out.contains("\r"), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains("block-0 epoch 1/2: s0.00 train 0.1 val 0.2"), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("retrain epoch 1/2 2/4  0:00, ETA")), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("retrain epoch 1/2: 4/4 done in 0:0")), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("retrain epoch 2/2: 4/4 done in 0:0")), out);

        String quiet = run(false, 3600);
        assertEquals(List.of("block-0 epoch 1/2: s0.00 train 0.1 val 0.2", "retrain epoch 1/2: 4/4 done in 0:00",
                "retrain epoch 2/2: 4/4 done in 0:00"), quiet.lines().toList(), "within the interval only the kept"
                + " line and one line per task");
    }

    @Test
    void liveModeRedrawsOneBarBelowTheKeptLines() {
        String out = run(true, 30);
        assertTrue(out.contains("\r"), out);
        assertTrue(out.contains("retrain epoch 1/2 [========================] 4/4"), out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), "only the kept line ends a line: " + out);
        String kept = out.substring(0, out.indexOf('\n'));
        assertTrue(kept.substring(kept.lastIndexOf('\r') + 1).strip().equals("block-0 epoch 1/2: s0.00 train 0.1 val 0.2"),
                out);
        assertTrue(out.endsWith("\r"), "the bar is erased at the end: " + out);
    }

    @Test
    void anUnknownLengthShowsTimeOnly() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TaskBar bar = new TaskBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 3600);
        bar.begin("latency: JIT warm-up on cpu", 0);
        bar.end();
        assertEquals("latency: JIT warm-up on cpu: done in 0:00", bytes.toString(StandardCharsets.UTF_8).strip());
    }
}
