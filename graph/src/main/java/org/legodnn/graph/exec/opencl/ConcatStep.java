package org.legodnn.graph.exec.opencl;

import java.util.List;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * Concatenation along one axis: each input is {@code outer} rows of {@code chunks[i]} floats, written at
 * {@code offsets[i]} of the output's rows of {@code row} floats.
 */
record ConcatStep(String nodes, List<Operand> parts, int outer, int[] chunks, int[] offsets, int row, int output)
        implements Step {

    @Override
    public List<Operand> inputs() {
        return parts;
    }

    @Override
    public long outputFloats() {
        return (long) outer * row;
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        for (int i = 0; i < parts.size(); i++) {
            kernels.concatPart(outer, chunks[i], frame.get(parts.get(i)), row, offsets[i], y);
        }
    }
}
