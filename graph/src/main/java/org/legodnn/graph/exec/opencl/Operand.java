package org.legodnn.graph.exec.opencl;

import org.legodnn.kernels.opencl.DeviceBuffer;

/**
 * What a step reads: either a value computed during the run (a slot of the {@link Frame}) or a constant that
 * was uploaded when the model was prepared (a weight, a folded BatchNorm, an initializer used as data).
 */
record Operand(int slot, DeviceBuffer constant) {

    static Operand slot(int slot) {
        return new Operand(slot, null);
    }

    static Operand constant(DeviceBuffer buffer) {
        return new Operand(-1, buffer);
    }

    boolean isConstant() {
        return constant != null;
    }
}
