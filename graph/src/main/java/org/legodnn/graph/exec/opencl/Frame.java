package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.DeviceBuffer;

/** The device buffers of one run, by slot: each computed value (or group of aliases) owns one slot. */
final class Frame implements AutoCloseable {

    private final DeviceBuffer[] slots;

    Frame(int slotCount) {
        this.slots = new DeviceBuffer[slotCount];
    }

    DeviceBuffer get(Operand o) {
        if (o.isConstant()) {
            return o.constant();
        }
        DeviceBuffer b = slots[o.slot()];
        if (b == null) {
            throw new IllegalStateException("slot " + o.slot() + " is read before it is written (or after its release)");
        }
        return b;
    }

    /** Null for an absent optional operand. */
    DeviceBuffer getOrNull(Operand o) {
        return o == null ? null : get(o);
    }

    void set(int slot, DeviceBuffer b) {
        slots[slot] = b;
    }

    /** Gives the slot's buffer back to the device's pool. */
    void release(int slot) {
        if (slots[slot] != null) {
            slots[slot].close();
            slots[slot] = null;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < slots.length; i++) {
            release(i);
        }
    }
}
