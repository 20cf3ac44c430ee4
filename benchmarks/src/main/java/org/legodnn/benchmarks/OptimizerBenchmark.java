package org.legodnn.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.legodnn.core.optimize.BranchAndBound;
import org.legodnn.core.optimize.RandomProblems;
import org.legodnn.core.optimize.ScalingProblem;
import org.legodnn.core.optimize.Selection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long LegoDNN's run-time optimizer takes to pick a composition, since it runs whenever the budgets
 * change and must stay far below one inference: goals under 1 ms for 20 blocks × 5 options and under 50 ms
 * for 50 × 10. The crafted 100 × 20 and 300 × 30 shapes, far beyond any real store, show how the search grows
 * (its time limit, {@link BranchAndBound.Limits#DEFAULT}, bounds it).
 *
 * <p>Each call solves the next of 64 random instances correlated like real pruning profiles
 * ({@link RandomProblems#correlated}, 5% negative values), budgets at 60% of each resource's range, so the
 * sampled distribution covers easy and hard instances; read the median ({@code p0.50}) and the tail.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar OptimizerBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class OptimizerBenchmark {

    private static final int INSTANCES = 64;

    /** Blocks × options per block. */
    @Param({"8x5", "20x5", "50x10", "100x20", "300x30"})
    public String shape;

    private ScalingProblem[] problems;
    private int next;

    @Setup
    public void setUp() {
        String[] bo = shape.split("x");
        int blocks = Integer.parseInt(bo[0]);
        int options = Integer.parseInt(bo[1]);
        Random rnd = new Random(2021);
        problems = new ScalingProblem[INSTANCES];
        for (int i = 0; i < INSTANCES; i++) {
            problems[i] = RandomProblems.correlated(rnd, blocks, options, 0.6, 0.05);
        }
    }

    @Benchmark
    public Selection solve() {
        ScalingProblem p = problems[next];
        next = (next + 1) % INSTANCES;
        return BranchAndBound.solve(p);
    }
}
