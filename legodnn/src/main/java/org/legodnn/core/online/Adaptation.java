package org.legodnn.core.online;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.legodnn.tensor.Tensor;

/**
 * The loop that makes LegoDNN follow the device: it times the inferences a runtime serves, estimates how much
 * slower (or faster) than profiled the device runs now, and re-plans within its {@link ServingPolicy} when that
 * changed enough. Measuring costs two clock reads per inference; a plan costs one solve and a switch, paid by the
 * inference that notices the change.
 */
final class Adaptation {

    /** Plans kept for {@link #plans()} (the oldest are dropped beyond this). */
    private static final int KEPT_PLANS = 1000;

    private final LegoDnnRuntime runtime;
    private final ServingPolicy policy;
    private final LongSupplier clock;
    private final double[] ratios;
    /** Inferences after a switch still to skip before measuring. */
    private int settling;
    private int count;
    private int next;
    private Composition planned;
    private double plannedSlowdown;
    private double estimatedMs;
    private long lastPlan;
    private final List<ServingPlan> plans = new ArrayList<>();

    Adaptation(LegoDnnRuntime runtime, ServingPolicy policy, LongSupplier clock) throws IOException {
        this.runtime = runtime;
        this.policy = policy;
        this.clock = clock;
        this.ratios = new double[policy.window()];
        plan(1.0);
    }

    /** Runs the live composition on {@code x}, timing it; may re-plan before returning. */
    Tensor infer(Tensor x) {
        long t0 = clock.getAsLong();
        InferenceResult r = runtime.switcher().inferTagged(x);
        record(r.composition(), clock.getAsLong() - t0);
        return r.output();
    }

    /** The plans so far, the first made when serving began. */
    synchronized List<ServingPlan> plans() {
        return List.copyOf(plans);
    }

    /** The slowdown the last plan was made for (measured / profiled latency). */
    synchronized double slowdown() {
        return plannedSlowdown;
    }

    private synchronized void record(Composition ran, long nanos) {
        if (ran != planned) {
            return; // an inference that began before the last switch: its composition has another estimate
        }
        if (settling > 0) {
            settling--;
            return;
        }
        ratios[next] = nanos / 1e6 / estimatedMs;
        next = (next + 1) % ratios.length;
        count = Math.min(count + 1, ratios.length);
        if (count < ratios.length || (clock.getAsLong() - lastPlan) / 1e6 < policy.minIntervalMs()) {
            return;
        }
        double slowdown = median(ratios);
        if (Math.abs(slowdown - plannedSlowdown) > policy.tolerance() * plannedSlowdown) {
            try {
                plan(slowdown);
            } catch (IOException e) {
                throw new UncheckedIOException("LegoDNN: re-planning for a slowdown of " + slowdown + " failed", e);
            }
        }
    }

    /** Chooses and swaps in the best composition for a device {@code slowdown} times slower than profiled. */
    private void plan(double slowdown) throws IOException {
        double budget = policy.latencyMs() / slowdown;
        UpdateResult u = runtime.choose(budget, policy.memoryBytes());
        planned = runtime.switcher().composition();
        plannedSlowdown = slowdown;
        estimatedMs = u.latencyMs();
        lastPlan = clock.getAsLong();
        count = 0;
        next = 0;
        settling = plans.isEmpty() ? 0 : policy.window();
        plans.add(new ServingPlan(lastPlan, slowdown, budget, u.selection(), u.latencyMs()));
        if (plans.size() > KEPT_PLANS) {
            plans.remove(0);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
