package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;
import org.legodnn.kernels.opencl.Pool2dShape;

/** Max, average or global-average pooling. {@code shape} is null for the global kind. */
record PoolStep(Kind kind, Pool2dShape shape, boolean countIncludePad, int planes, int hw, int x, int y)
        implements Step {

    enum Kind { MAX, AVG, GLOBAL_AVG }

    @Override
    public void run(OpenClKernels kernels, DeviceBuffer[] b) {
        switch (kind) {
            case MAX -> kernels.maxPool2d(shape, b[x], b[y]);
            case AVG -> kernels.avgPool2d(shape, countIncludePad, b[x], b[y]);
            case GLOBAL_AVG -> kernels.globalAvgPool(planes, hw, b[x], b[y]);
        }
    }
}
