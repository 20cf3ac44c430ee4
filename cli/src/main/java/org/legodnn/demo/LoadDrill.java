package org.legodnn.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.core.online.ServingPlan;
import org.legodnn.core.online.ServingPolicy;
import org.legodnn.tensor.Tensor;

/**
 * The demo's proof that LegoDNN follows the device: the runtime serves under a {@link ServingPolicy} while a
 * competing CPU load (busy threads, one per core) comes and goes, and every quarter second the median measured
 * latency and the live composition are sampled, before, during and after the load.
 */
public final class LoadDrill {

    /** One quarter second: its end, the median latency of the inferences in it, the composition, whether loaded. */
    public record Sample(double atSeconds, double medianMs, int[] selection, boolean loaded) {

        public Sample {
            selection = selection.clone();
        }

        @Override
        public int[] selection() {
            return selection.clone();
        }
    }

    /** What happened: the budget served within, the samples, and the runtime's plans. */
    public record Report(double budgetMs, double loadSeconds, int loadThreads, List<Sample> samples,
                         List<ServingPlan> plans) {
    }

    private static final double SAMPLE_SECONDS = 0.25;
    private static volatile double sink;

    private LoadDrill() {
    }

    /**
     * Serves {@code x} for {@code calmSeconds}, then under a load of {@code loadThreads} busy threads for
     * {@code loadSeconds}, then {@code calmSeconds} without it, within {@code budgetMs} and {@code memoryBytes}.
     * The runtime stays under the policy afterwards; an {@link LegoDnnRuntime#update} hands the choice back.
     */
    public static Report run(LegoDnnRuntime runtime, Tensor x, double budgetMs, double memoryBytes, double calmSeconds,
                             double loadSeconds, int loadThreads) throws IOException, InterruptedException {
        runtime.keepWithin(ServingPolicy.keepWithin(budgetMs, memoryBytes));
        List<Sample> samples = new ArrayList<>();
        AtomicBoolean loading = new AtomicBoolean();
        List<Thread> load = new ArrayList<>();
        long start = System.nanoTime();
        double total = 2 * calmSeconds + loadSeconds;
        List<Double> bin = new ArrayList<>();
        double binEnd = SAMPLE_SECONDS;
        try {
            while (true) {
                double now = (System.nanoTime() - start) / 1e9;
                if (now >= total) {
                    break;
                }
                boolean shouldLoad = now >= calmSeconds && now < calmSeconds + loadSeconds;
                if (shouldLoad && !loading.get()) {
                    loading.set(true);
                    for (int k = 0; k < loadThreads; k++) {
                        Thread t = new Thread(() -> spin(loading), "legodnn-demo-load-" + k);
                        t.setDaemon(true);
                        t.start();
                        load.add(t);
                    }
                } else if (!shouldLoad && loading.get()) {
                    stop(loading, load);
                }
                long t0 = System.nanoTime();
                runtime.infer(x);
                bin.add((System.nanoTime() - t0) / 1e6);
                if (now >= binEnd) {
                    samples.add(new Sample(binEnd, median(bin), runtime.switcher().selection(), loading.get()));
                    bin.clear();
                    binEnd += SAMPLE_SECONDS;
                }
            }
        } finally {
            stop(loading, load);
        }
        return new Report(budgetMs, loadSeconds, loadThreads, samples, runtime.plans());
    }

    private static void spin(AtomicBoolean loading) {
        double v = 1;
        while (loading.get()) {
            for (int i = 0; i < 10_000; i++) {
                v = v * 1.0000001 + 1e-9;
            }
        }
        sink = v;
    }

    private static void stop(AtomicBoolean loading, List<Thread> load) throws InterruptedException {
        loading.set(false);
        for (Thread t : load) {
            t.join();
        }
        load.clear();
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
