package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.LegoDnn;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.ReferenceData;

/**
 * The README's "Use it as a library" example is the body of {@link #example} word for word, and it runs: on
 * PyTorch's CIFAR ResNet-20 (gray) and on a block store that {@code legodnn offline} writes for a tiny teacher.
 */
class ReadmeLibraryExampleTest {

    private static final String START = "// readme-example-start";
    private static final String END = "// readme-example-end";

    static Tensor[] example(Path modelFile, Path storeDir, Tensor images) throws IOException {
        // readme-example-start
        // Any ONNX model (opsets 11-17), compiled once: BatchNorm folded, epilogues fused, weights packed.
        Graph graph = OnnxImporter.read(modelFile);
        CompiledGraph model = CompiledGraph.compile(graph);
        Tensor logits = model.run(images);

        // A block store written by `legodnn offline`: serve the most accurate composition within a budget.
        LegoDnnRuntime lego = LegoDnn.open(storeDir);
        lego.update(2.0, 4 << 20);             // latency in ms, memory in bytes
        Tensor scaled = lego.infer(images);    // thread-safe, also while update() swaps blocks
        // readme-example-end
        return new Tensor[] {logits, scaled};
    }

    @Test
    void readmeShowsTheExample() throws IOException {
        Path root = ReferenceData.testdata().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        List<String> source = Files.readAllLines(root.resolve(
                "cli/src/test/java/org/legodnn/cli/ReadmeLibraryExampleTest.java"));
        int from = source.indexOf("        " + START);
        int to = source.indexOf("        " + END);
        assertTrue(from > 0 && to > from, "markers in this file");
        StringBuilder body = new StringBuilder();
        for (String line : source.subList(from + 1, to)) {
            body.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        assertTrue(readme.contains("```java\n" + body + "```"), "README.md's library example differs from:\n" + body);
    }

    @Test
    void exampleRuns(@TempDir Path tmp) throws Exception {
        Path store = TinyStore.build(tmp);
        Path model = ReferenceData.model("cifar_resnet20_gray");
        Tensor images = Tensor.randn(new Random(5), 2, 1, 28, 28);
        Tensor[] out = example(model.resolve("model.onnx"), store, images);
        assertArrayEquals(new int[] {2, 10}, out[0].shape());
        assertArrayEquals(new int[] {2, 10}, out[1].shape());
    }
}
