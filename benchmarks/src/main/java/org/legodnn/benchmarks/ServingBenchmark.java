package org.legodnn.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.online.BlockSwitcher;
import org.legodnn.core.online.ResidentDescendants;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether LegoDNN's served model scales with its clients while it adapts: throughput of the live model's
 * {@code infer} (what {@code LegoDnnRuntime.infer} calls) with one client thread and with two, each on one engine
 * thread, while another thread switches to a random composition every {@value #SWITCH_EVERY_MS} ms. Group
 * {@code oneClient} has one inferring thread, {@code twoClients} two; the ratio of their {@code infer} scores is
 * the scaling (2 on two free cores, less where the switches and the memory bus take their share).
 *
 * <p>The model is the shipped teacher's architecture (CIFAR ResNet-20, 1×28×28, random weights) cut into its 9
 * blocks with descendants at sparsities 0, 0.4 and 0.8, held in memory; a switch compiles the descendants it
 * newly needs and joins the composition, off the inference path.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar ServingBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class ServingBenchmark {

    /** How often the switching thread changes the composition. */
    static final int SWITCH_EVERY_MS = 20;

    /** One live model per group: its switcher, an input, and the compositions the switching thread picks from. */
    @State(Scope.Group)
    public static class Served {
        private BlockSwitcher switcher;
        private Tensor x;
        private final List<int[]> selections = new ArrayList<>();
        private final Random rnd = new Random(3);
        private int savedThreads;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            savedThreads = Parallel.threads();
            Parallel.setThreads(1);
            Init.manualSeed(1);
            Module teacher = ModelZoo.create("cifar_resnet20", 1, 10);
            teacher.eval();
            Graph g = Tracer.trace(teacher, 1, 1, 28, 28);
            List<Block> blocks = BlockExtractor.extract(g);
            List<List<Descendant>> descendants = Descendants.of(g, blocks, new double[] {0, 0.4, 0.8},
                    PruningCriterion.L1_NORM);
            switcher = new BlockSwitcher(new ResidentDescendants(g, blocks, descendants), new int[blocks.size()]);
            for (int k = 0; k < 16; k++) {
                int[] s = new int[blocks.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = rnd.nextInt(3);
                }
                selections.add(s);
            }
            x = Tensor.randn(new Random(2), 1, 1, 28, 28);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Parallel.setThreads(savedThreads);
        }

        Tensor infer() {
            return switcher.infer(x);
        }

        int[] switchOnce() throws IOException, InterruptedException {
            Thread.sleep(SWITCH_EVERY_MS);
            return switcher.switchTo(selections.get(rnd.nextInt(selections.size()))).after();
        }
    }

    @Benchmark
    @Group("oneClient")
    @GroupThreads(1)
    public Tensor oneClientInfer(Served s) {
        return s.infer();
    }

    @Benchmark
    @Group("oneClient")
    @GroupThreads(1)
    public int[] oneClientSwitch(Served s) throws IOException, InterruptedException {
        return s.switchOnce();
    }

    @Benchmark
    @Group("twoClients")
    @GroupThreads(2)
    public Tensor twoClientsInfer(Served s) {
        return s.infer();
    }

    @Benchmark
    @Group("twoClients")
    @GroupThreads(1)
    public int[] twoClientsSwitch(Served s) throws IOException, InterruptedException {
        return s.switchOnce();
    }
}
