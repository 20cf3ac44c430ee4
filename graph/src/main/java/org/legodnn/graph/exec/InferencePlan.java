package org.legodnn.graph.exec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.conv.PreparedConv;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * A {@link BufferPlan} on the CPU: the buffers are float arrays, allocated once and reused by every call, and
 * each step calls the CPU kernels on them ({@link PlanSteps}). Graph outputs get a fresh array per call, so
 * the tensors a call returns are the caller's to keep. A plan runs one call at a time: its owner,
 * {@link CompiledGraph}, lends each plan to one caller at a time.
 */
final class InferencePlan implements ExecutionDevice.Plan {

    /** One step of the schedule; {@code buffers} holds every buffer of the plan by its index. */
    @FunctionalInterface
    interface Step {
        void run(float[][] buffers);
    }

    private final float[][] buffers;
    private final int[] inputBuffers;
    private final List<String> outputNames;
    private final int[] outputBuffers;
    private final int[][] outputShapes;
    private final List<Step> steps;

    private InferencePlan(float[][] buffers, int[] inputBuffers, List<String> outputNames, int[] outputBuffers,
                          int[][] outputShapes, List<Step> steps) {
        this.buffers = buffers;
        this.inputBuffers = inputBuffers;
        this.outputNames = outputNames;
        this.outputBuffers = outputBuffers;
        this.outputShapes = outputShapes;
        this.steps = steps;
    }

    /** The CPU plan of {@code plan}: its pooled buffers allocated, its constants in place, its steps made. */
    static InferencePlan build(Backend cpu, BufferPlan plan, Map<String, PreparedConv> convs) {
        Graph g = plan.graph();
        float[][] buffers = new float[plan.bufferCount()][];
        for (int b = 0; b < buffers.length; b++) {
            switch (plan.kind(b)) {
                case POOLED -> buffers[b] = new float[plan.capacity(b)];
                case CONSTANT -> buffers[b] = g.initializer(plan.constant(b)).data();
                default -> {
                    // Inputs and outputs are set per call.
                }
            }
        }
        List<Step> steps = new ArrayList<>(plan.steps().size());
        for (BufferPlan.Step s : plan.steps()) {
            if (s.node() == null) {
                int src = s.inputs()[0];
                int dst = s.output();
                int len = plan.capacity(dst);
                steps.add(buf -> System.arraycopy(buf[src], 0, buf[dst], 0, len));
            } else {
                steps.add(PlanSteps.create(cpu, g, s.node(), convs.get(s.node().node().name()), s.inputs(),
                        s.residual(), s.output()));
            }
        }
        int[] outputs = plan.outputBuffers();
        int[][] shapes = new int[outputs.length][];
        for (int i = 0; i < outputs.length; i++) {
            shapes[i] = g.shape(g.outputs().get(i));
        }
        return new InferencePlan(buffers, plan.inputBuffers(), List.copyOf(g.outputs()), outputs, shapes,
                List.copyOf(steps));
    }

    @Override
    public Map<String, Tensor> run(List<Tensor> inputs, long[] nanos) {
        for (int i = 0; i < inputBuffers.length; i++) {
            buffers[inputBuffers[i]] = inputs.get(i).data();
        }
        for (int i = 0; i < outputBuffers.length; i++) {
            buffers[outputBuffers[i]] = new float[Shapes.checkedSize("output", outputShapes[i])];
        }
        try {
            if (nanos == null) {
                for (Step s : steps) {
                    s.run(buffers);
                }
            } else {
                for (int i = 0; i < steps.size(); i++) {
                    long t0 = System.nanoTime();
                    steps.get(i).run(buffers);
                    nanos[i] += System.nanoTime() - t0;
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (int i = 0; i < outputBuffers.length; i++) {
                out.put(outputNames.get(i), Tensor.of(buffers[outputBuffers[i]], outputShapes[i]));
            }
            return out;
        } finally {
            for (int b : inputBuffers) {
                buffers[b] = null;
            }
            for (int b : outputBuffers) {
                buffers[b] = null;
            }
        }
    }

    @Override
    public void close() {
        // Heap arrays: the garbage collector frees them.
    }
}
