package org.legodnn.graph.exec.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.kernels.opencl.OpenClKernels;
import org.legodnn.tensor.Tensor;

/**
 * An OpenCL device (a GPU, or PoCL on the CPU) as an {@link ExecutionDevice}: compiling a graph for it checks
 * that every node can run there (failing with the node's name otherwise) and uploads its weights once; a run
 * uploads the inputs, keeps every intermediate value in device memory and downloads only the outputs. The
 * lowering (folding, fusion, buffer planning) is {@link CompiledGraph}'s, the same as on the CPU.
 *
 * <p>Closing it frees the kernels' cached tables; the {@link OpenClDevice} stays open (its owner closes it).
 */
public final class OpenClExecution implements ExecutionDevice, AutoCloseable {

    private final OpenClKernels kernels;

    public OpenClExecution(OpenClDevice device) {
        this.kernels = new OpenClKernels(device);
    }

    /** Runs {@code graph} once on {@code device}: compile, run, free. */
    public static Map<String, Tensor> run(Graph graph, OpenClDevice device, Map<String, Tensor> inputs) {
        try (OpenClExecution ocl = new OpenClExecution(device); CompiledGraph g = CompiledGraph.compile(graph, ocl)) {
            return g.run(inputs);
        }
    }

    public OpenClDevice device() {
        return kernels.device();
    }

    @Override
    public String name() {
        return "opencl:" + kernels.device().info().name();
    }

    @Override
    public Prepared prepare(Graph lowered, List<FusedNode> steps) {
        for (FusedNode f : steps) {
            OpenClSteps.check(lowered, f);
        }
        DeviceWeights weights = new DeviceWeights(kernels, List.of());
        try {
            for (String name : lowered.initializers().keySet()) {
                weights.get(name, () -> lowered.initializer(name).data());
            }
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return weights;
    }

    @Override
    public Prepared join(List<Prepared> pieces) {
        List<DeviceWeights> weights = new ArrayList<>();
        for (Prepared p : pieces) {
            if (!(p instanceof DeviceWeights w) || w.kernels() != kernels) {
                throw new IllegalArgumentException("CompiledGraph.join: a piece was not compiled for " + name());
            }
            weights.add(w);
        }
        return new DeviceWeights(kernels, weights);
    }

    @Override
    public void close() {
        kernels.close();
    }
}
