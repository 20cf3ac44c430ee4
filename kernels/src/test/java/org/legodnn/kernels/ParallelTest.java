package org.legodnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelTest {

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void everyIndexRunsOnceInManyRegions() {
        Parallel.setThreads(2);
        for (int region = 0; region < 2000; region++) {
            int count = 1 + region % 7;
            AtomicIntegerArray hits = new AtomicIntegerArray(count);
            Parallel.forEach(count, hits::incrementAndGet);
            for (int i = 0; i < count; i++) {
                assertEquals(1, hits.get(i), "region " + region + " index " + i);
            }
        }
    }

    @Test
    void anExceptionReachesTheCallerAndTheTeamGoesOn() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forEach(16, i -> {
            if (i == 5) {
                throw new IllegalStateException("index 5");
            }
        }));
        assertEquals("index 5", e.getMessage());
        AtomicInteger sum = new AtomicInteger();
        Parallel.forRange(100, 1, (from, to) -> sum.addAndGet(to - from));
        assertEquals(100, sum.get());
    }

    @Test
    void nestedCallsRunSeriallyWithoutDeadlock() {
        Parallel.setThreads(2);
        AtomicInteger inner = new AtomicInteger();
        Parallel.forEach(8, i -> Parallel.forEach(8, j -> inner.incrementAndGet()));
        assertEquals(64, inner.get());
    }

    @Test
    void threadCountChangesTakeEffect() {
        for (int t : new int[] {1, 3, 2, 1, 2}) {
            Parallel.setThreads(t);
            AtomicInteger n = new AtomicInteger();
            Parallel.forEach(10, i -> n.incrementAndGet());
            assertEquals(10, n.get(), t + " threads");
            assertEquals(t, Parallel.threads());
        }
    }
}
