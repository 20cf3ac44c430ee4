package org.legodnn.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.legodnn.core.online.InferenceResult;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.UpdateResult;
import org.legodnn.tensor.Tensor;

/**
 * Shows hot switching as a user would see it: inference threads keep serving while the runtime is handed new
 * budgets, and every answer is checked to come from exactly one composition — recomputed on the composition
 * it reports, it must be bit-identical.
 */
public final class LiveSwitchDrill {

    /**
     * What happened.
     *
     * @param updates    the updates made, in order
     * @param inferences inferences served during the drill
     * @param checked    inferences recomputed on their reported composition
     * @param mismatches recomputed answers that differed (0 unless switching mixed compositions)
     * @param seconds    wall time of the drill
     */
    public record Report(List<UpdateResult> updates, long inferences, long checked, long mismatches, double seconds) {
    }

    private LiveSwitchDrill() {
    }

    /**
     * Runs {@code threads} inference loops over {@code inputs} while applying each budget pair of
     * {@code budgets} ({latency ms, memory bytes}) in turn, {@code pauseMs} apart; every {@code checkEvery}-th
     * inference (counted over all threads) is recomputed on the composition it ran on.
     */
    public static Report run(LegoDnnRuntime runtime, List<Tensor> inputs, int threads, List<double[]> budgets,
                             long pauseMs, int checkEvery) throws IOException, InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong inferences = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < threads; w++) {
            int first = w;
            Thread t = new Thread(() -> {
                for (int k = first; !stop.get(); k++) {
                    Tensor x = inputs.get(k % inputs.size());
                    InferenceResult r = runtime.switcher().inferTagged(x);
                    if (inferences.incrementAndGet() % checkEvery == 0) {
                        Tensor again;
                        try {
                            again = r.composition().run(x);
                        } catch (IllegalStateException retiredAndFreed) {
                            continue; // swapped out and freed since it answered: nothing left to recompute on
                        }
                        checked.incrementAndGet();
                        if (!Arrays.equals(r.output().data(), again.data())) {
                            mismatches.incrementAndGet();
                        }
                    }
                }
            }, "demo-inference-" + w);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
        List<UpdateResult> updates = new ArrayList<>();
        try {
            for (double[] b : budgets) {
                Thread.sleep(pauseMs);
                updates.add(runtime.update(b[0], b[1]));
            }
            Thread.sleep(pauseMs);
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                t.join();
            }
        }
        return new Report(List.copyOf(updates), inferences.get(), checked.get(), mismatches.get(),
                (System.nanoTime() - t0) / 1e9);
    }
}
