package org.legodnn.graph;

import java.util.Arrays;
import org.legodnn.tensor.Shapes;

/**
 * A graph input's name and declared shape. A dimension that the model leaves open (ONNX's {@code dim_param},
 * such as a symbolic batch size) is -1.
 */
public record ValueInfo(String name, int[] shape) {

    public ValueInfo {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Whether every dimension is known. */
    public boolean isStatic() {
        for (int d : shape) {
            if (d < 0) {
                return false;
            }
        }
        return true;
    }

    /** The shape with every open dimension set to 1: what analyses use when nothing else is known. */
    public int[] concreteShape() {
        int[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = 1;
            }
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueInfo v && name.equals(v.name) && Arrays.equals(shape, v.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Shapes.format(shape);
    }
}
