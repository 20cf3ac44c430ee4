package org.legodnn.graph.exec.opencl;

import org.legodnn.graph.exec.ResizeAxis;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/** Resize of the last two dimensions by lookup tables (see {@link ResizeAxis}). */
record ResizeStep(int planes, int h, int w, ResizeAxis rows, ResizeAxis cols, int x, int y) implements Step {

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        kernels.resize(planes, h, w, rows.size(), cols.size(), rows.lo(), rows.hi(), rows.frac(), cols.lo(), cols.hi(),
                cols.frac(), b[x], b[y]);
    }
}
