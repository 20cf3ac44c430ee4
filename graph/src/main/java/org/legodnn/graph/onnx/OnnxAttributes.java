package org.legodnn.graph.onnx;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.onnx.proto.OnnxProto.AttributeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;

/**
 * Typed access to one ONNX node's attributes with the defaults the ONNX spec gives, and the check that a
 * node carries no attribute the importer does not understand (an unknown attribute could change the
 * result, so it is an error rather than ignored).
 */
final class OnnxAttributes {

    private final NodeProto node;
    private final String where;
    private final Map<String, AttributeProto> byName = new HashMap<>();

    OnnxAttributes(NodeProto node, String where) {
        this.node = node;
        this.where = where;
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasRefAttrName() && !a.getRefAttrName().isEmpty()) {
                throw error("attribute " + a.getName() + " refers to a function attribute, which is not supported");
            }
            byName.put(a.getName(), a);
        }
    }

    /** Fails if the node has an attribute outside {@code known}. */
    void allowOnly(Set<String> known) {
        for (String name : byName.keySet()) {
            if (!known.contains(name)) {
                throw error("attribute '" + name + "' is not supported");
            }
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    long i(String name, long fallback) {
        AttributeProto a = typed(name, AttributeProto.AttributeType.INT);
        return a == null ? fallback : a.getI();
    }

    float f(String name, float fallback) {
        AttributeProto a = typed(name, AttributeProto.AttributeType.FLOAT);
        return a == null ? fallback : a.getF();
    }

    String s(String name, String fallback) {
        AttributeProto a = typed(name, AttributeProto.AttributeType.STRING);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** The ints, or null when absent. */
    long[] ints(String name) {
        AttributeProto a = typed(name, AttributeProto.AttributeType.INTS);
        if (a == null) {
            return null;
        }
        long[] out = new long[a.getIntsCount()];
        for (int k = 0; k < out.length; k++) {
            out[k] = a.getInts(k);
        }
        return out;
    }

    /** The floats, or null when absent. */
    float[] floats(String name) {
        AttributeProto a = typed(name, AttributeProto.AttributeType.FLOATS);
        if (a == null) {
            return null;
        }
        float[] out = new float[a.getFloatsCount()];
        for (int k = 0; k < out.length; k++) {
            out[k] = a.getFloats(k);
        }
        return out;
    }

    /**
     * The attribute {@code name}, checked to be of {@code type} (a wrongly typed value would otherwise read as 0
     * or empty); absent: null. Files that leave the type unset (old exporters) are taken as they are.
     */
    private AttributeProto typed(String name, AttributeProto.AttributeType type) {
        AttributeProto a = byName.get(name);
        if (a != null && a.getType() != AttributeProto.AttributeType.UNDEFINED && a.getType() != type) {
            throw error("attribute '" + name + "' is " + a.getType() + ", expected " + type);
        }
        return a;
    }

    AttributeProto raw(String name) {
        return byName.get(name);
    }

    /** An error naming the op, the node and the opset. */
    OnnxImportException error(String what) {
        return new OnnxImportException("ONNX " + node.getOpType() + " node '" + node.getName() + "' (" + where + "): " + what);
    }
}
