package org.legodnn.graph.exec.opencl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClDevice;

/**
 * The constants of a prepared model on the device, uploaded once and shared by every plan (one per input
 * shape): initializers by name, and derived tensors (a convolution's weights with its BatchNorm folded in)
 * by a key that names what they derive from.
 */
final class DeviceWeights implements AutoCloseable {

    private final OpenClDevice device;
    private final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();
    private long floats;

    DeviceWeights(OpenClDevice device) {
        this.device = device;
    }

    /** The buffer under {@code key}, uploading {@code data.get()} the first time. */
    DeviceBuffer get(String key, Supplier<float[]> data) {
        DeviceBuffer b = buffers.get(key);
        if (b == null) {
            float[] values = data.get();
            b = device.uploadConstant(values);
            floats += values.length;
            buffers.put(key, b);
        }
        return b;
    }

    /** Bytes of device memory the constants take. */
    long bytes() {
        return floats * Float.BYTES;
    }

    @Override
    public void close() {
        for (DeviceBuffer b : buffers.values()) {
            b.close();
        }
        buffers.clear();
        floats = 0;
    }
}
