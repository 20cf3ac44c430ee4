package org.legodnn.graph.exec.opencl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.legodnn.graph.exec.BufferPlan;
import org.legodnn.graph.exec.ExecutionDevice;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClKernels;

/**
 * The constants of one compiled graph on the device, uploaded once and shared by every plan (one per input
 * shape): initializers by name, and derived tensors (a lone BatchNorm's scale and shift) by a key that names what
 * they derive from. A joined graph's weights look in its pieces' first and own only what none of them holds.
 */
final class DeviceWeights implements ExecutionDevice.Prepared {

    private final OpenClKernels kernels;
    private final List<DeviceWeights> pieces;
    private final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();

    DeviceWeights(OpenClKernels kernels, List<DeviceWeights> pieces) {
        this.kernels = kernels;
        this.pieces = List.copyOf(pieces);
    }

    OpenClKernels kernels() {
        return kernels;
    }

    /** The buffer under {@code key}, uploading {@code data.get()} the first time. */
    synchronized DeviceBuffer get(String key, Supplier<float[]> data) {
        for (DeviceWeights p : pieces) {
            DeviceBuffer b = p.find(key);
            if (b != null) {
                return b;
            }
        }
        DeviceBuffer b = buffers.get(key);
        if (b == null) {
            float[] values = data.get();
            b = kernels.device().uploadConstant(values);
            buffers.put(key, b);
        }
        return b;
    }

    private synchronized DeviceBuffer find(String key) {
        return buffers.get(key);
    }

    @Override
    public ExecutionDevice.Plan plan(BufferPlan buffers) {
        return OpenClPlan.build(this, buffers);
    }

    /** Frees the constants it uploaded (not its pieces'). Idempotent. */
    @Override
    public synchronized void close() {
        for (DeviceBuffer b : buffers.values()) {
            b.close();
        }
        buffers.clear();
    }
}
