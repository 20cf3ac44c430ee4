package org.legodnn.graph.exec.opencl;

import java.util.List;
import org.legodnn.graph.exec.ResizeAxis;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/** Resize of the last two dimensions by lookup tables (see {@link ResizeAxis}). */
record ResizeStep(String nodes, int planes, int h, int w, ResizeAxis rows, ResizeAxis cols, Operand x, int output)
        implements Step {

    @Override
    public List<Operand> inputs() {
        return List.of(x);
    }

    @Override
    public long outputFloats() {
        return (long) planes * rows.size() * cols.size();
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        kernels.resize(planes, h, w, rows.size(), cols.size(), rows.lo(), rows.hi(), rows.frac(), cols.lo(), cols.hi(),
                cols.frac(), frame.get(x), y);
    }
}
