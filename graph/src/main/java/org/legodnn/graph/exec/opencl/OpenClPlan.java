package org.legodnn.graph.exec.opencl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.BufferPlan;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.kernels.opencl.OpenClException;
import org.legodnn.kernels.opencl.OpenClKernels;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * A {@link BufferPlan} on an OpenCL device: every buffer is a device buffer allocated once for the plan (inputs
 * written into theirs per call, outputs read back into new arrays), constants are the graph's uploaded weights,
 * and each step launches the kernels of its op ({@link OpenClSteps}). Intermediate values never leave the device.
 * Calls on one device are serialized (its queue and kernels are shared).
 */
final class OpenClPlan implements ExecutionDevice.Plan {

    private final OpenClKernels kernels;
    private final DeviceBuffer[] buffers;
    /** The buffers this plan allocated (not the weights), freed on close. */
    private final List<DeviceBuffer> owned;
    private final int[] inputBuffers;
    private final int[] outputBuffers;
    private final List<String> outputNames;
    private final int[][] outputShapes;
    private final List<Step> steps;
    private final List<String> labels;

    private OpenClPlan(OpenClKernels kernels, DeviceBuffer[] buffers, List<DeviceBuffer> owned, int[] inputBuffers,
                       int[] outputBuffers, List<String> outputNames, int[][] outputShapes, List<Step> steps,
                       List<String> labels) {
        this.kernels = kernels;
        this.buffers = buffers;
        this.owned = owned;
        this.inputBuffers = inputBuffers;
        this.outputBuffers = outputBuffers;
        this.outputNames = outputNames;
        this.outputShapes = outputShapes;
        this.steps = steps;
        this.labels = labels;
    }

    /** The device plan of {@code plan}, whose constants come from {@code weights}. */
    static OpenClPlan build(DeviceWeights weights, BufferPlan plan) {
        Graph g = plan.graph();
        OpenClKernels kernels = weights.kernels();
        OpenClDevice device = kernels.device();
        DeviceBuffer[] buffers = new DeviceBuffer[plan.bufferCount()];
        List<DeviceBuffer> owned = new ArrayList<>();
        try {
            List<Step> steps = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (BufferPlan.Step s : plan.steps()) {
                labels.add(s.label());
                if (s.node() == null) {
                    int src = s.inputs()[0];
                    int dst = s.output();
                    int len = plan.capacity(dst);
                    steps.add((k, b) -> k.device().copy(b[src], 0, b[dst], 0, len));
                } else {
                    steps.add(OpenClSteps.create(plan, s, weights));
                }
            }
            for (int b = 0; b < buffers.length; b++) {
                if (plan.kind(b) == BufferPlan.Kind.CONSTANT) {
                    String name = plan.constant(b);
                    buffers[b] = weights.get(name, () -> g.initializer(name).data());
                } else {
                    buffers[b] = device.allocate(Math.max(1, plan.capacity(b)));
                    owned.add(buffers[b]);
                }
            }
            int[] outputs = plan.outputBuffers();
            int[][] shapes = new int[outputs.length][];
            for (int i = 0; i < outputs.length; i++) {
                shapes[i] = g.shape(g.outputs().get(i));
            }
            return new OpenClPlan(kernels, buffers, owned, plan.inputBuffers(), outputs, List.copyOf(g.outputs()),
                    shapes, List.copyOf(steps), List.copyOf(labels));
        } catch (RuntimeException e) {
            owned.forEach(DeviceBuffer::close);
            throw e;
        }
    }

    @Override
    public Map<String, Tensor> run(List<Tensor> inputs, long[] nanos) {
        OpenClDevice device = kernels.device();
        synchronized (device) {
            for (int i = 0; i < inputBuffers.length; i++) {
                device.write(buffers[inputBuffers[i]], inputs.get(i).data());
            }
            for (int i = 0; i < steps.size(); i++) {
                long t0 = nanos == null ? 0 : System.nanoTime();
                try {
                    steps.get(i).run(kernels, buffers);
                    if (nanos != null) {
                        device.finish();
                    }
                } catch (OpenClException e) {
                    throw new OpenClException("step " + labels.get(i) + ": " + e.getMessage(), e);
                }
                if (nanos != null) {
                    nanos[i] += System.nanoTime() - t0;
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < outputBuffers.length; i++) {
                float[] data = new float[Shapes.checkedSize("output", outputShapes[i])];
                device.read(buffers[outputBuffers[i]], data);
                out.put(outputNames.get(i), Tensor.of(data, outputShapes[i]));
            }
            return out;
        }
    }

    /** Gives the plan's buffers back to the device's pool. Idempotent. */
    @Override
    public void close() {
        synchronized (kernels.device()) {
            for (DeviceBuffer b : owned) {
                b.close();
            }
            owned.clear();
        }
    }
}
