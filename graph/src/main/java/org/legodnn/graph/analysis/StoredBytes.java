package org.legodnn.graph.analysis;

import java.util.List;
import java.util.Map;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.tensor.Tensor;

/**
 * The bytes a graph's constants take as a model file stores them, so that memory budgets see what quantization
 * saves: 4 per float value; a constant that only quantize-dequantize nodes read is stored as their integers (1 byte
 * per int8 or uint8 value, 4 per int32, as the ONNX exporter writes a QDQ model); and every quantize-dequantize
 * node adds its scales (4 bytes each) and zero points (of its integer type). A float graph costs what it always
 * did: 4 bytes per stored value, BatchNorm running statistics included.
 */
public final class StoredBytes {

    private StoredBytes() {
    }

    /** The stored bytes of every initializer of {@code g} and of its quantization parameters. */
    public static long of(Graph g) {
        long bytes = 0;
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            bytes += e.getValue().size() * valueBytes(g, e.getKey());
        }
        for (Node n : g.nodes()) {
            if (n.op() == Op.QUANTIZE_DEQUANTIZE) {
                Attrs.Quantize q = n.attrs(Attrs.Quantize.class);
                bytes += 4L * q.scales().length + (long) q.zeroPoints().length * bytes(q.type());
            }
        }
        return bytes;
    }

    /** Bytes per value of the initializer {@code name}: its integer type when quantize-dequantize alone reads it. */
    private static int valueBytes(Graph g, String name) {
        List<Node> readers = g.consumers(name);
        if (readers.isEmpty() || g.outputs().contains(name)
                || !readers.stream().allMatch(r -> r.op() == Op.QUANTIZE_DEQUANTIZE)) {
            return 4;
        }
        int widest = 1;
        for (Node r : readers) {
            widest = Math.max(widest, bytes(r.attrs(Attrs.Quantize.class).type()));
        }
        return widest;
    }

    /** Bytes of one value of {@code type}. */
    static int bytes(Attrs.QuantType type) {
        return switch (type) {
            case UINT8, INT8 -> 1;
            case INT32 -> 4;
        };
    }
}
