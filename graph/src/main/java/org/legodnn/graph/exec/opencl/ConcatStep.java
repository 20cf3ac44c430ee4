package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * Concatenation along one axis: each input is {@code outer} rows of {@code chunks[i]} floats, written at
 * {@code offsets[i]} of the output's rows of {@code row} floats.
 */
record ConcatStep(int[] parts, int outer, int[] chunks, int[] offsets, int row, int y) implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        for (int i = 0; i < parts.length; i++) {
            kernels.concatPart(outer, chunks[i], b[parts[i]], row, offsets[i], b[y]);
        }
    }
}
