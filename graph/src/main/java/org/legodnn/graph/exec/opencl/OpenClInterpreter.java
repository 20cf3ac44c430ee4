package org.legodnn.graph.exec.opencl;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.transform.FoldBatchNorm;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.kernels.opencl.OpenClException;
import org.legodnn.kernels.opencl.OpenClKernels;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Runs a {@link Graph} for inference on an OpenCL device, as {@link org.legodnn.graph.exec.Interpreter} does
 * on the CPU. Preparing uploads the weights once (BatchNorms folded into their convolutions by
 * {@link FoldBatchNorm}, the rewrite the CPU's compiled path uses) and checks that
 * every node can run on the device, failing with the node's name otherwise. A run uploads the inputs, keeps
 * every intermediate value in device memory (buffers are pooled and given back after their last reader) and
 * downloads only the outputs.
 *
 * <p>One plan is made per set of input shapes (a new batch size makes a new plan; the weights stay). Not for
 * concurrent use: runs are serialized. Closing it frees the weights; the device stays open.
 */
public final class OpenClInterpreter implements AutoCloseable {

    private final Graph graph;
    /** {@link #graph} with its BatchNorms folded: what every plan is made from. */
    private final Graph folded;
    private final OpenClDevice device;
    private final OpenClKernels kernels;
    private final DeviceWeights weights;
    private final Map<String, Plan> plans = new HashMap<>();
    private boolean closed;

    /**
     * Prepares {@code graph} on {@code device} for the graph's declared input shapes (open dimensions as 1).
     *
     * @throws UnsupportedOperationException naming the first node the OpenCL backend cannot run
     */
    public OpenClInterpreter(Graph graph, OpenClDevice device) {
        this.graph = graph;
        this.folded = FoldBatchNorm.apply(graph);
        this.device = device;
        this.kernels = new OpenClKernels(device);
        this.weights = new DeviceWeights(device);
        try {
            plans.put(key(declaredShapes()), Planner.plan(folded, weights));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Runs {@code graph} once on {@code device}: prepare, run, free. */
    public static Map<String, Tensor> run(Graph graph, OpenClDevice device, Map<String, Tensor> inputs) {
        try (OpenClInterpreter interpreter = new OpenClInterpreter(graph, device)) {
            return interpreter.run(inputs);
        }
    }

    public Graph graph() {
        return graph;
    }

    public OpenClDevice device() {
        return device;
    }

    /** Bytes of device memory that the prepared constants (weights) take. */
    public long weightBytes() {
        return weights.bytes();
    }

    /**
     * Computes every graph output, by name in the graph's output order, from {@code inputs} (by graph input
     * name). Dimensions that the graph declares open (-1) may take any size; the others must match.
     */
    public synchronized Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (closed) {
            throw new IllegalStateException("OpenCL interpreter of graph " + graph.name() + " is closed");
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new IllegalArgumentException("graph " + graph.name() + ": missing input '" + in.name() + "' "
                        + Shapes.format(in.shape()) + " (given " + inputs.keySet() + ")");
            }
            checkShape(in, t);
            shapes.put(in.name(), t.shape());
        }
        Plan plan = plans.computeIfAbsent(key(shapes), k -> Planner.plan(folded.withInputShapes(shapes), weights));
        try (Frame frame = new Frame(plan.slotCount())) {
            for (Map.Entry<String, Integer> in : plan.inputs().entrySet()) {
                frame.set(in.getValue(), device.upload(inputs.get(in.getKey()).data()));
            }
            for (int i = 0; i < plan.steps().size(); i++) {
                Step step = plan.steps().get(i);
                DeviceBuffer y = device.allocate(step.outputFloats());
                frame.set(step.output(), y);
                try {
                    step.run(kernels, frame, y);
                } catch (OpenClException e) {
                    throw new OpenClException("node " + step.nodes() + ": " + e.getMessage(), e);
                }
                for (int slot : plan.releases()[i]) {
                    frame.release(slot);
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, Operand> o : plan.outputs().entrySet()) {
                int[] shape = plan.outputShapes().get(o.getKey());
                out.put(o.getKey(), Tensor.of(device.download(frame.get(o.getValue()), Shapes.checkedSize("output", shape)),
                        shape));
            }
            return out;
        }
    }

    /** Frees the weights and cached tables on the device (not the device itself). Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            weights.close();
            kernels.close();
        }
    }

    private Map<String, int[]> declaredShapes() {
        Map<String, int[]> s = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            s.put(in.name(), in.concreteShape());
        }
        return s;
    }

    private static String key(Map<String, int[]> shapes) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            sb.append(e.getKey()).append(Arrays.toString(e.getValue())).append(';');
        }
        return sb.toString();
    }

    private void checkShape(ValueInfo in, Tensor t) {
        int[] declared = in.shape();
        boolean ok = declared.length == t.rank();
        for (int d = 0; ok && d < declared.length; d++) {
            ok = declared[d] < 0 || declared[d] == t.dim(d);
        }
        if (!ok) {
            throw new IllegalArgumentException("graph " + graph.name() + ": input '" + in.name() + "' has shape "
                    + Shapes.format(t.shape()) + ", the model expects " + Shapes.format(declared) + " (-1 = any)");
        }
    }
}
