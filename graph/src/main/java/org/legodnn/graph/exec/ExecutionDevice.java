package org.legodnn.graph.exec;

import java.util.List;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.graph.quant.QuantizedConvs;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.tensor.Tensor;

/**
 * What a device brings to the one compiled road: kernels, and nothing of the lowering. {@link CompiledGraph}
 * folds BatchNorm, fuses epilogues ({@link org.legodnn.graph.transform.FuseEpilogues}) and plans buffers
 * ({@link BufferPlan}) the same way for every device; a device prepares the constants once (packs them for its
 * kernels, uploads them) and turns each buffer plan into steps that call its kernels. The CPU's SIMD and scalar
 * devices are {@link CpuExecution}; OpenCL's is {@code org.legodnn.graph.exec.opencl.OpenClExecution}. A new
 * device implements these three methods and touches nothing else.
 */
public interface ExecutionDevice {

    /** A short name for messages and reports, e.g. {@code cpu-simd} or {@code opencl:pthread-cpu}. */
    String name();

    /**
     * Prepares the constants of a lowered graph for this device's kernels, once per compile.
     *
     * @param lowered the graph with BatchNorm folded (its nodes, weights and declared shapes)
     * @param steps   its nodes with epilogues fused, in the order they run
     * @throws UnsupportedOperationException naming the first node the device cannot run
     */
    Prepared prepare(Graph lowered, List<FusedNode> steps);

    /**
     * Whether this device runs the int8 convolutions of QDQ models ({@link QuantizedConvs}) in integers; a device
     * that does not runs them on their dequantized weights in float.
     */
    default boolean runsInt8Convs() {
        return false;
    }

    /**
     * {@link #prepare(Graph, List)} for a device that {@link #runsInt8Convs}: the convolutions named in
     * {@code int8} (their inputs already rewired by {@link QuantizedConvs#readUnquantized}) get int8 kernels.
     */
    default Prepared prepare(Graph lowered, List<FusedNode> steps, Map<String, QuantizedConvs.QuantizedConv> int8) {
        return prepare(lowered, steps);
    }

    /** One program of {@code pieces} prepared on this device; it reads their constants and owns none of them. */
    Prepared join(List<Prepared> pieces);

    /** Whether {@code step} may write its result over its first input (an elementwise kernel). */
    default boolean runsInPlace(FusedNode step, Graph shaped) {
        return BufferPlan.elementwise(step, shaped);
    }

    /** A lowered graph's constants on a device, and the plans it makes from buffer plans. */
    interface Prepared extends AutoCloseable {

        /** The device's plan of {@code buffers}; it runs one call at a time. */
        Plan plan(BufferPlan buffers);

        /** Frees what the device holds for it (weights it uploaded); a CPU program has nothing to free. */
        @Override
        void close();
    }

    /** One input shape's schedule on a device. */
    interface Plan extends AutoCloseable {

        /**
         * Runs every step on {@code inputs} (graph input order, shapes as planned) and returns the graph's
         * outputs as new tensors. When {@code nanos} is not null, each step's time is added to its entry (the
         * device waits for each step to finish).
         */
        Map<String, Tensor> run(List<Tensor> inputs, long[] nanos);

        /** Frees the plan's device buffers. */
        @Override
        void close();
    }
}
