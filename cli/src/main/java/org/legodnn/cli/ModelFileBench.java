package org.legodnn.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.legodnn.graph.Graph;
import org.legodnn.graph.analysis.GraphAnalysis;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.tensor.Tensor;

/**
 * ONNX files for {@code bench --model}, so that a user's own models — a quantized one beside its float original,
 * say — are timed on the same road and in the same turns as the standard keys: each imported, compiled for the
 * device and given a random input of its input shape at the chosen batch. The key is the file's name.
 */
final class ModelFileBench implements AutoCloseable {

    private final List<String> keys = new ArrayList<>();
    private final List<CompiledGraph> compiled = new ArrayList<>();
    private final List<Tensor> inputs = new ArrayList<>();
    private final List<Long> flops = new ArrayList<>();

    /**
     * Imports and compiles {@code files} for {@code device}; {@code batch} images per call where the model's batch
     * is open (null: 1); a fixed batch is kept.
     */
    static ModelFileBench open(List<Path> files, Integer batch, long seed, ExecutionDevice device) throws IOException {
        ModelFileBench b = new ModelFileBench();
        try {
            for (Path file : files) {
                Graph g = OnnxImporter.read(file);
                if (g.inputs().size() != 1) {
                    throw new IllegalArgumentException("bench --model " + file + ": the model has " + g.inputs().size()
                            + " inputs; one is supported");
                }
                int[] shape = g.inputs().get(0).shape().clone();
                int images = shape.length > 0 && shape[0] < 0 ? (batch == null ? 1 : batch) : 1;
                for (int d = 0; d < shape.length; d++) {
                    if (shape[d] < 0 && d > 0) {
                        throw new IllegalArgumentException("bench --model " + file + ": input dimension " + d
                                + " is open; only the batch may be");
                    }
                }
                if (shape.length > 0 && shape[0] < 0) {
                    shape[0] = images;
                }
                Graph fixed = g.withInputShapes(Map.of(g.inputs().get(0).name(), shape));
                String key = file.getFileName().toString();
                b.keys.add(b.keys.contains(key) ? file.toString() : key);
                b.flops.add(GraphAnalysis.totals(GraphAnalysis.perNode(fixed)).flops());
                b.inputs.add(Tensor.randn(new Random(seed), shape));
                b.compiled.add(CompiledGraph.compile(fixed, device));
            }
            return b;
        } catch (RuntimeException | IOException e) {
            b.close();
            throw e;
        }
    }

    List<String> keys() {
        return keys;
    }

    /** One inference of model {@code i}; returns a value of its output so that the call cannot be optimized away. */
    float call(int i) {
        return compiled.get(i).run(inputs.get(i)).data()[0];
    }

    long flops(int i) {
        return flops.get(i);
    }

    @Override
    public void close() {
        compiled.forEach(CompiledGraph::close);
    }
}
