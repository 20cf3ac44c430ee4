package org.legodnn.core.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.blocks.BlockGraph;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.ConvTranspose2d;
import org.legodnn.nn.MaxPool2d;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * LegoDNN on dense-prediction graphs (issue 18): an encoder–decoder whose skip connection is a concatenation
 * (U-Net), a graph with two outputs (a detector's two scales), and {@code fcn_resnet18}. Blocks stay
 * one-input/one-output, so a skip concat or a second head lands in the frame; a concat inside a block couples
 * the channels it joins, so pruning keeps the consumer's input slices right; the composed model at sparsity 0 is
 * the original (every output of it), and a mix of sparsities keeps every output's shape, also compiled.
 */
class DensePredictionBlocksTest {

    private static Sequential doubleConv(int in, int out) {
        return new Sequential(new Conv2d(in, out, 3, 1, 1, false), new BatchNorm2d(out), new ReLU(),
                new Conv2d(out, out, 3, 1, 1, false), new BatchNorm2d(out), new ReLU());
    }

    /** Two encoder stages, a transposed-conv up-sampling, the skip concatenated, a decoder stage, a 1×1 head. */
    static final class TinyUNet extends Module {
        private final Sequential enc1 = registerModule("enc1", doubleConv(3, 8));
        private final MaxPool2d pool = registerModule("pool", new MaxPool2d(2));
        private final Sequential enc2 = registerModule("enc2", doubleConv(8, 16));
        private final ConvTranspose2d up = registerModule("up", new ConvTranspose2d(16, 8, 2, 2, 0));
        private final Sequential dec = registerModule("dec", doubleConv(16, 8));
        private final Conv2d head = registerModule("head", new Conv2d(8, 4, 1, 1, 0, true));

        @Override
        public Tensor forward(Tensor x) {
            Tensor s1 = enc1.call(x);
            Tensor s2 = enc2.call(pool.call(s1));
            return head.call(dec.call(Ops.concat(s1, up.call(s2))));
        }
    }

    /** A block with a concat inside: two branches of the same input joined, then a conv over the joint channels. */
    static final class ConcatInside extends Module {
        private final Sequential stem = registerModule("stem", doubleConv(3, 8));
        private final Sequential a = registerModule("a", new Sequential(new Conv2d(8, 8, 3, 1, 1, false),
                new BatchNorm2d(8), new ReLU()));
        private final Sequential b = registerModule("b", new Sequential(new Conv2d(8, 8, 1, 1, 0, false),
                new BatchNorm2d(8), new ReLU()));
        private final Sequential fuse = registerModule("fuse", new Sequential(new Conv2d(16, 8, 3, 1, 1, false),
                new BatchNorm2d(8), new ReLU()));
        private final Conv2d head = registerModule("head", new Conv2d(8, 4, 1, 1, 0, true));

        @Override
        public Tensor forward(Tensor x) {
            Tensor s = stem.call(x);
            return head.call(fuse.call(Ops.concat(a.call(s), b.call(s))));
        }
    }

    /**
     * A trunk, a head at stride 1 on its features, a neck that goes on to a second head at stride 2: traced with the
     * two heads summed into one output, then cut back to the graph with both heads as its outputs.
     */
    static final class TwoHeads extends Module {
        private final Sequential trunk = registerModule("trunk", doubleConv(3, 8));
        private final Sequential headA = registerModule("head_a", new Sequential(new Conv2d(8, 8, 3, 1, 1, false),
                new BatchNorm2d(8), new ReLU(), new Conv2d(8, 6, 1, 1, 0, true)));
        private final Sequential neck = registerModule("neck", new Sequential(new Conv2d(8, 16, 3, 2, 1, false),
                new BatchNorm2d(16), new ReLU(), new Conv2d(16, 16, 3, 1, 1, false), new BatchNorm2d(16), new ReLU()));
        private final Sequential headB = registerModule("head_b", new Sequential(new Conv2d(16, 16, 3, 1, 1, false),
                new BatchNorm2d(16), new ReLU(), new Conv2d(16, 6, 1, 1, 0, true)));

        @Override
        public Tensor forward(Tensor x) {
            Tensor f = trunk.call(x);
            Tensor a = headA.call(f);
            Tensor b = headB.call(neck.call(f));
            return Ops.add(Ops.globalAvgPool(a), Ops.globalAvgPool(b));
        }
    }

    @Test
    void aSkipConcatStaysInTheFrameAndTheDecoderIsCut() {
        Graph g = randomized(Tracer.trace(new TinyUNet(), 1, 3, 16, 16));
        List<Block> blocks = BlockExtractor.extract(g, 0.25); // 8 convs: at most 2 per block
        assertEquals(List.of(List.of("enc1.0", "enc1.3"), List.of("enc2.0", "enc2.3"), List.of("dec.0", "dec.3")),
                blocks.stream().map(DensePredictionBlocksTest::convs).toList(), blocks.toString());
        checkBlocks(g, blocks);
        Set<Op> frameOps = new HashSet<>();
        BlockExtractor.frame(g, blocks).forEach(n -> frameOps.add(n.op()));
        assertTrue(frameOps.contains(Op.CONCAT) && frameOps.contains(Op.CONV_TRANSPOSE), frameOps.toString());
        checkDescendantsCompose(g, blocks, 16);
    }

    @Test
    void aConcatInsideABlockCouplesTheChannelsItJoins() {
        Graph g = randomized(Tracer.trace(new ConcatInside(), 1, 3, 16, 16));
        List<Block> blocks = BlockExtractor.extract(g, 0.5); // 6 convs: at most 3 per block
        Block joint = blocks.stream().filter(b -> b.nodes().stream().anyMatch(n -> n.op() == Op.CONCAT))
                .findFirst().orElseThrow(() -> new AssertionError("no block holds the concat: " + blocks));
        assertEquals(List.of("a.0", "b.0", "fuse.0"), convs(joint), joint.toString());
        checkBlocks(g, blocks);
        List<List<Descendant>> all = checkDescendantsCompose(g, blocks, 16);
        Descendant half = all.get(blocks.indexOf(joint)).get(2); // sparsity 0.4
        int[] a = half.keptChannels().get("a.0");
        int[] b = half.keptChannels().get("b.0");
        assertTrue(a != null && a.length < 8 && b != null && b.length < 8, half.keptChannels().keySet().toString());
        Node fuse = half.graph().find("fuse.0");
        assertEquals(a.length + b.length, half.graph().shape(fuse.input(1))[1],
                "fuse.0 reads exactly the channels the two branches kept");
    }

    @Test
    void aGraphWithTwoOutputsIsCutAndComposesBothHeads() {
        Graph traced = randomized(Tracer.trace(new TwoHeads(), 1, 3, 16, 16));
        String outA = traced.find("head_a.3").output();
        String outB = traced.find("head_b.3").output();
        List<Node> kept = new ArrayList<>();
        for (Node n : traced.nodes()) {
            if (n.op() != Op.GLOBAL_AVG_POOL && n.op() != Op.ADD) {
                kept.add(n);
            }
        }
        Graph g = new Graph("two_heads", traced.inputs(), List.of(outA, outB), traced.initializers(), kept);
        List<Block> blocks = BlockExtractor.extract(g, 0.25); // 9 convs: at most 2 per block
        assertFalse(blocks.isEmpty());
        checkBlocks(g, blocks);
        List<List<Descendant>> all = checkDescendantsCompose(g, blocks, 16);
        for (List<Descendant> ds : all) {
            for (Descendant d : ds) {
                assertFalse(d.keptChannels().containsKey("head_a.3") || d.keptChannels().containsKey("head_b.3"),
                        "the heads' output channels are never pruned: " + d.keptChannels().keySet());
            }
        }
        Tensor x = Tensor.randn(new Random(5), 1, 3, 16, 16);
        Map<String, Tensor> want = Interpreter.run(g, Map.of(g.inputs().get(0).name(), x));
        ComposedModel composed = new ComposedModel(g, blocks, all);
        Map<String, Tensor> got = composed.finishAll(composed.start(x), 0, composed.selection());
        assertEquals(List.of(outA, outB), new ArrayList<>(got.keySet()));
        ZooDescendantsTest.assertClose(want.get(outA), got.get(outA), "head a at sparsity 0");
        ZooDescendantsTest.assertClose(want.get(outB), got.get(outB), "head b at sparsity 0");
        // served: the frame's segments and the descendants compiled, joined into one graph with both outputs
        int[] last = new int[blocks.size()];
        java.util.Arrays.fill(last, all.get(0).size() - 1);
        composed.select(last);
        Map<String, Tensor> interpreted = composed.finishAll(composed.start(x), 0, last);
        try (CompiledBlocks compiled = new CompiledBlocks(g, blocks)) {
            List<CompiledGraph> chosen = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                chosen.add(CompiledBlocks.compile(all.get(i).get(last[i]), compiled.device()));
            }
            Map<String, Tensor> served = compiled.compose(chosen).run(Map.of(g.inputs().get(0).name(), x));
            ZooDescendantsTest.assertClose(interpreted.get(outA), served.get(outA), "head a served");
            ZooDescendantsTest.assertClose(interpreted.get(outB), served.get(outB), "head b served");
        }
    }

    /**
     * The zoo's dense-prediction models at their data sets' image sizes: per model the image side, the classes and
     * the conv count of every block found at the default ratio ("|"-separated).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "fcn_resnet18, 32, 11, 2|2|2|2|2|2|2|2|2",
        "unet, 64, 11, 2|2|2|2|2|2|2|2|2",
        "deeplabv3_resnet18, 64, 11, 3|2|3|2|3|2|3|2|3",
        "yolov3_resnet18, 64, 10, 5|5|5|5|5|5|5|2|2",
    })
    void zooModelsAreCutAndCompose(String model, int side, int classes, String convCounts) {
        Graph g = randomized(Tracer.trace(ModelZoo.create(model, 1, classes), 1, 1, side, side));
        List<Block> blocks = BlockExtractor.extract(g);
        assertEquals(convCounts, String.join("|", blocks.stream().map(b -> Integer.toString(b.convCount())).toList()),
                blocks.toString());
        checkBlocks(g, blocks);
        checkDescendantsCompose(g, blocks, side);
    }

    /**
     * A model that folds its snippets into the batch ({@code tsn_resnet18}: 3 segments, two streams, consensus over
     * a reshape to [-1, 3, classes]) is served compiled: the frame's segments after the blocks see the folded batch,
     * and the composition computes what the interpreter does, at sparsity 0 and mixed, at batch 1 and 2.
     */
    @Test
    void aModelThatFoldsSegmentsIntoTheBatchIsServedCompiled() {
        Graph g = randomized(Tracer.trace(ModelZoo.create("tsn_resnet18", 8, 8), 1, 8, 48, 48));
        List<Block> blocks = BlockExtractor.extract(g);
        assertEquals(8, blocks.size(), blocks.toString());
        List<List<Descendant>> all = Descendants.of(g, blocks, new double[] {0.0, 0.5}, PruningCriterion.L1_NORM);
        ComposedModel composed = new ComposedModel(g, blocks, all);
        int[] mixed = new int[blocks.size()];
        for (int i = 0; i < mixed.length; i += 2) {
            mixed[i] = 1;
        }
        try (CompiledBlocks compiled = new CompiledBlocks(g, blocks)) {
            for (int[] selection : List.of(new int[blocks.size()], mixed)) {
                List<CompiledGraph> chosen = new ArrayList<>();
                for (int i = 0; i < blocks.size(); i++) {
                    chosen.add(CompiledBlocks.compile(all.get(i).get(selection[i]), compiled.device()));
                }
                try (CompiledGraph served = compiled.compose(chosen)) {
                    for (int batch : new int[] {1, 2}) {
                        Tensor x = Tensor.randn(new Random(batch), batch, 8, 48, 48);
                        Tensor want = composed.finishAll(composed.start(x), 0, selection).get(g.outputs().get(0));
                        Tensor got = served.run(Map.of(g.inputs().get(0).name(), x)).get(g.outputs().get(0));
                        assertArrayEquals(new int[] {batch, 8}, got.shape());
                        ZooDescendantsTest.assertClose(want, got, "tsn_resnet18 served at " + java.util.Arrays.toString(selection));
                    }
                }
            }
        }
    }

    /** The convs of a block by module path, in order. */
    private static List<String> convs(Block b) {
        List<String> out = new ArrayList<>();
        for (Node n : b.nodes()) {
            if (BlockExtractor.isCompressible(n)) {
                out.add(n.modulePath());
            }
        }
        return out;
    }

    /** Every block one value in, one out, closed as a graph of its own, nothing inside read from after it. */
    private static void checkBlocks(Graph g, List<Block> blocks) {
        for (Block b : blocks) {
            Graph sub = BlockGraph.of(g, b);
            assertEquals(1, sub.inputs().size(), b.toString());
            assertEquals(List.of(b.outputValue()), sub.outputs(), b.toString());
            for (Node n : g.nodes().subList(b.lastNode() + 1, g.nodes().size())) {
                for (String in : n.inputs()) {
                    Node p = g.producer(in);
                    assertTrue(p == null || !b.contains(p.index()) || in.equals(b.outputValue()), b + " leaks " + in);
                }
            }
        }
    }

    /**
     * Descendants at every default sparsity keep their block's shapes; the composition at sparsity 0 computes
     * every output of the model; a random mix keeps every output's shape and is finite.
     */
    private static List<List<Descendant>> checkDescendantsCompose(Graph g, List<Block> blocks, int side) {
        List<List<Descendant>> all = Descendants.of(g, blocks);
        for (int i = 0; i < blocks.size(); i++) {
            for (Descendant d : all.get(i)) {
                assertArrayEquals(blocks.get(i).outputShape(), d.graph().shape(blocks.get(i).outputValue()), d.toString());
            }
            Descendant thinnest = all.get(i).get(all.get(i).size() - 1);
            assertTrue(thinnest.params() < all.get(i).get(0).params(), "block " + i + " has channels to cut: " + thinnest);
        }
        Tensor x = Tensor.randn(new Random(3), 1, g.inputs().get(0).shape()[1], side, side);
        Map<String, Tensor> want = Interpreter.run(g, Map.of(g.inputs().get(0).name(), x));
        ComposedModel composed = new ComposedModel(g, blocks, all);
        Map<String, Tensor> same = composed.finishAll(composed.start(x), 0, composed.selection());
        int[] mixed = new int[blocks.size()];
        Random rnd = new Random(11);
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = 1 + rnd.nextInt(all.get(i).size() - 1);
        }
        Map<String, Tensor> thin = composed.finishAll(composed.start(x), 0, mixed);
        Graph one = composed.select(mixed).graph();
        for (String out : g.outputs()) {
            ZooDescendantsTest.assertClose(want.get(out), same.get(out), g.name() + " " + out + " at sparsity 0");
            assertArrayEquals(want.get(out).shape(), thin.get(out).shape(), out);
            for (float v : thin.get(out).data()) {
                assertTrue(Float.isFinite(v), out);
            }
            assertArrayEquals(g.shape(out), one.shape(out), "the spliced graph keeps output " + out);
        }
        return all;
    }

    /** {@code g} with random BatchNorm statistics and affine values, so that channel ranking and slicing matter. */
    private static Graph randomized(Graph g) {
        Random rnd = new Random(1);
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            Tensor t = e.getValue();
            float[] d = t.data().clone();
            String k = e.getKey();
            for (int i = 0; i < d.length; i++) {
                if (k.endsWith("running_var")) {
                    d[i] = 0.5f + rnd.nextFloat();
                } else if (k.endsWith("running_mean") || k.endsWith(".bias")) {
                    d[i] = 0.1f * (float) rnd.nextGaussian();
                } else if (k.endsWith(".weight") && t.rank() == 1) {
                    d[i] = 0.5f + rnd.nextFloat();
                }
            }
            w.put(k, Tensor.of(d, t.shape()));
        }
        return new Graph(g.name(), g.inputs(), g.outputs(), w, g.nodes());
    }
}
