package org.legodnn.core.optimize;

import java.util.Random;

/**
 * Random scaling problems shaped like LegoDNN's, because the tests (against brute force and a second MIP
 * solver) and the optimizer benchmark must exercise the solver on many more instances than profiling real
 * models could give, and on the same ones.
 *
 * <p>Correlated instances imitate pruning: option 0 of each block is the original (no drop); option j has
 * a sparsity s growing with j, memory about {@code (1 − s)²} of the original, latency somewhat less than
 * the original, and an accuracy drop growing with s at a per-block sensitivity, all with noise. Uncorrelated
 * instances draw every value independently. A {@code negativeRate} share of options gets a negative value
 * (an accuracy gain, or a latency above the original as measured on real devices), and with uncorrelated
 * values memory and latency themselves may be negative.
 */
public final class RandomProblems {

    private RandomProblems() {
    }

    /** A correlated instance with budgets at {@code fraction} of each resource's range (0 = smallest composition). */
    public static ScalingProblem correlated(Random rnd, int blocks, int options, double fraction, double negativeRate) {
        ScalingProblem.Builder b = ScalingProblem.builder();
        double sumL = 0;
        double sumM = 0;
        for (int i = 0; i < blocks; i++) {
            double baseL = 0.05 + rnd.nextDouble();
            double baseM = 1e4 + 5e6 * rnd.nextDouble() * rnd.nextDouble();
            double sensitivity = 0.002 + 0.05 * rnd.nextDouble();
            double speedup = 0.3 + 0.7 * rnd.nextDouble();
            double[] a = new double[options];
            double[] l = new double[options];
            double[] m = new double[options];
            a[0] = 0;
            l[0] = baseL;
            m[0] = baseM;
            double s = 0;
            for (int j = 1; j < options; j++) {
                s += (0.9 - s) * (0.15 + 0.5 * rnd.nextDouble() / Math.max(1, options - j));
                a[j] = sensitivity * s * s * (1 + 0.3 * rnd.nextGaussian());
                l[j] = baseL * (1 - speedup * s * (1 + 0.1 * rnd.nextGaussian()));
                m[j] = Math.rint(baseM * (1 - s) * (1 - s) * (1 + 0.05 * rnd.nextGaussian()));
                if (rnd.nextDouble() < negativeRate) {
                    if (rnd.nextBoolean()) {
                        a[j] = -0.1 * Math.abs(a[j]);
                    } else {
                        l[j] = baseL * (1 + 0.3 * rnd.nextDouble());
                    }
                }
            }
            b.block(a, l, m);
            sumL += baseL;
            sumM += baseM;
        }
        b.frame(sumL * (0.1 + rnd.nextDouble()), Math.rint(0.05 * sumM));
        return atFraction(b.build(), fraction, fraction);
    }

    /** An instance with independent values, some negative, budgets at {@code fraction} of each range. */
    public static ScalingProblem uncorrelated(Random rnd, int blocks, int options, double fraction, double negativeRate) {
        ScalingProblem.Builder b = ScalingProblem.builder();
        for (int i = 0; i < blocks; i++) {
            double[] a = new double[options];
            double[] l = new double[options];
            double[] m = new double[options];
            for (int j = 0; j < options; j++) {
                boolean negative = rnd.nextDouble() < negativeRate;
                a[j] = negative ? -0.01 * rnd.nextDouble() : 0.05 * rnd.nextDouble();
                l[j] = rnd.nextDouble() < negativeRate ? -0.2 * rnd.nextDouble() : rnd.nextDouble();
                m[j] = Math.rint(rnd.nextDouble() < negativeRate ? -1e5 * rnd.nextDouble() : 5e6 * rnd.nextDouble());
            }
            b.block(a, l, m);
        }
        b.frame(1 + rnd.nextDouble(), 1e6);
        return atFraction(b.build(), fraction, fraction);
    }

    /**
     * The same problem with a switching term: a random composition is the one running, switch bytes are an
     * option's memory (0 for the option running), λ makes a typical switch cost about a typical accuracy drop.
     */
    public static ScalingProblem withSwitching(Random rnd, ScalingProblem p) {
        int n = p.blocks();
        double[][] bytes = new double[n][];
        double sumBytes = 0;
        double sumDrop = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            int current = rnd.nextInt(p.options(i));
            bytes[i] = new double[p.options(i)];
            for (int j = 0; j < p.options(i); j++) {
                bytes[i][j] = j == current ? 0 : Math.abs(p.memory(i, j));
                sumBytes += bytes[i][j];
                sumDrop += Math.abs(p.accuracyDrop(i, j));
                count++;
            }
        }
        double lambda = sumBytes > 0 ? 0.5 * sumDrop / sumBytes : 0;
        return new ScalingProblem(p.accuracyDrop(), p.latency(), p.memory(), p.frameLatency(), p.frameMemory(),
                p.latencyBudget(), p.memoryBudget(), bytes, lambda);
    }

    /** The problem with budgets at the given fractions between its smallest and largest composition. */
    public static ScalingProblem atFraction(ScalingProblem p, double latencyFraction, double memoryFraction) {
        double l = p.minLatency() + latencyFraction * (p.maxLatency() - p.minLatency());
        double m = p.minMemory() + memoryFraction * (p.maxMemory() - p.minMemory());
        return p.withBudgets(l, m);
    }
}
