package org.legodnn.graph.exec.opencl;

import java.util.List;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;
import org.legodnn.kernels.opencl.Pool2dShape;

/** Max, average or global-average pooling. {@code shape} is null for the global kind. */
record PoolStep(String nodes, Kind kind, Pool2dShape shape, boolean countIncludePad, int planes, int hw, Operand x,
                int output) implements Step {

    enum Kind { MAX, AVG, GLOBAL_AVG }

    @Override
    public List<Operand> inputs() {
        return List.of(x);
    }

    @Override
    public long outputFloats() {
        return kind == Kind.GLOBAL_AVG ? planes : shape.outputSize();
    }

    @Override
    public void run(OpenClKernels kernels, Frame frame, DeviceBuffer y) {
        switch (kind) {
            case MAX -> kernels.maxPool2d(shape, frame.get(x), y);
            case AVG -> kernels.avgPool2d(shape, countIncludePad, frame.get(x), y);
            case GLOBAL_AVG -> kernels.globalAvgPool(planes, hw, frame.get(x), y);
        }
    }
}
