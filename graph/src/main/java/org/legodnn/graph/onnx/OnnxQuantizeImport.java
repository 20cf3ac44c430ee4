package org.legodnn.graph.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.onnx.proto.OnnxProto.GraphProto;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto.DataType;

/**
 * Reads the QDQ spelling of quantized models (what ONNX Runtime's {@code quantize_static} and this engine's
 * {@code quantize} write) onto {@link Op#QUANTIZE_DEQUANTIZE}, because the engine's values are floats: a
 * QuantizeLinear becomes the quantize-dequantize of its input, the DequantizeLinear that reads it passes the
 * value on, and a DequantizeLinear of an integer constant (an int8 weight, an int32 bias) becomes the
 * quantize-dequantize of the constant's float values, which export turns back into the same integers.
 * {@link #checkPairs} makes sure every QuantizeLinear is read only by DequantizeLinears with its own scale and
 * zero point, the one case where this reading is exact.
 */
final class OnnxQuantizeImport {

    private final NodeProto proto;
    private final OnnxNodeImport.Context ctx;
    private final OnnxAttributes attrs;
    private final String name;
    private final String modulePath;

    OnnxQuantizeImport(NodeProto proto, OnnxNodeImport.Context ctx, OnnxAttributes attrs, String name,
                       String modulePath) {
        this.proto = proto;
        this.ctx = ctx;
        this.attrs = attrs;
        this.name = name;
        this.modulePath = modulePath;
    }

    /** QuantizeLinear(x, scale[, zero_point]): the quantize-dequantize of x, under the quantized value's name. */
    Node quantizeLinear() {
        attrs.allowOnly(Set.of("axis", "saturate"));
        String x = data();
        OnnxTensors.Constant zp = constant(2, "zero_point", false);
        Attrs.QuantType type = zp == null ? Attrs.QuantType.UINT8 : type(zp.type(), "zero_point");
        if (type == Attrs.QuantType.INT32) {
            throw attrs.error("quantizing to INT32 is not supported (UINT8 and INT8 are)");
        }
        return node(x, params(x, type, zp));
    }

    /**
     * DequantizeLinear(x, scale[, zero_point]): of an integer constant, the quantize-dequantize of its float
     * values; of a QuantizeLinear's output, the value passed on (the quantize-dequantize already happened).
     */
    Node dequantizeLinear() {
        attrs.allowOnly(Set.of("axis"));
        String x = data();
        OnnxTensors.Constant q = ctx.constant(x);
        if (q == null) {
            constant(1, "scale", true);
            constant(2, "zero_point", false);
            return Node.of(name, Op.IDENTITY, Attrs.None.INSTANCE, List.of(x), List.of(output()), modulePath);
        }
        Attrs.QuantType type = type(q.type(), "the quantized input '" + x + "'");
        OnnxTensors.Constant zp = constant(2, "zero_point", false);
        if (zp != null && type(zp.type(), "zero_point") != type) {
            throw attrs.error("zero_point is " + zp.type() + " but the input '" + x + "' is " + q.type());
        }
        Attrs.Quantize params = params(x, type, zp);
        long[] ints = q.asLongs();
        float[] values = new float[ints.length];
        int channels = params.scales().length;
        int inner = 1;
        for (int d = params.axis() + 1; channels > 1 && d < q.dims().length; d++) {
            inner *= q.dims()[d];
        }
        for (int i = 0; i < ints.length; i++) {
            int c = channels == 1 ? 0 : (i / inner) % channels;
            values[i] = (ints[i] - params.zeroPoints()[c]) * params.scales()[c];
        }
        String floats = uniqueConstantName(x + "_dequantized");
        ctx.defineConstant(floats, new OnnxTensors.Constant(floats, q.dims(), values, null));
        return node(floats, params);
    }

    /**
     * Fails unless every QuantizeLinear's output is read only by DequantizeLinear nodes with the same scale and
     * zero point, and is not an output of the graph: an integer value used any other way has no float reading.
     */
    static void checkPairs(GraphProto g, OnnxNodeImport.Context ctx) {
        for (NodeProto q : g.getNodeList()) {
            if (!q.getOpType().equals("QuantizeLinear") || q.getOutputCount() == 0) {
                continue;
            }
            String value = q.getOutput(0);
            if (g.getOutputList().stream().anyMatch(o -> o.getName().equals(value))) {
                throw new OnnxImportException("QuantizeLinear node '" + q.getName() + "': its integer output '" + value
                        + "' is an output of the graph; only float outputs are supported");
            }
            for (NodeProto reader : g.getNodeList()) {
                if (!reader.getInputList().contains(value)) {
                    continue;
                }
                if (!reader.getOpType().equals("DequantizeLinear") || !reader.getInput(0).equals(value)) {
                    throw new OnnxImportException("QuantizeLinear node '" + q.getName() + "': its integer output '"
                            + value + "' is read by " + reader.getOpType() + " node '" + reader.getName()
                            + "'; only DequantizeLinear may read it");
                }
                if (!sameConstant(ctx, q, reader, 1) || !sameConstant(ctx, q, reader, 2)) {
                    throw new OnnxImportException("DequantizeLinear node '" + reader.getName() + "' restores '" + value
                            + "' with another scale or zero point than QuantizeLinear node '" + q.getName()
                            + "' used; they must be the same");
                }
            }
        }
    }

    private static boolean sameConstant(OnnxNodeImport.Context ctx, NodeProto a, NodeProto b, int k) {
        String x = k < a.getInputCount() ? a.getInput(k) : "";
        String y = k < b.getInputCount() ? b.getInput(k) : "";
        if (x.equals(y)) {
            return true;
        }
        OnnxTensors.Constant cx = x.isEmpty() ? null : ctx.constant(x);
        OnnxTensors.Constant cy = y.isEmpty() ? null : ctx.constant(y);
        if (cx == null || cy == null) {
            // An absent zero point is 0: equal to an explicit scalar 0.
            OnnxTensors.Constant present = cx == null ? cy : cx;
            return k == 2 && present != null && Arrays.stream(present.asLongs()).allMatch(v -> v == 0);
        }
        return Arrays.equals(cx.asFloats(), cy.asFloats());
    }

    private Attrs.Quantize params(String x, Attrs.QuantType type, OnnxTensors.Constant zp) {
        OnnxTensors.Constant scale = constant(1, "scale", true);
        float[] scales = scale.asFloats();
        int[] zeros = new int[scales.length];
        if (zp != null) {
            if (zp.size() != scales.length) {
                throw attrs.error("zero_point has " + zp.size() + " values and scale " + scales.length
                        + "; they must have as many");
            }
            long[] z = zp.asLongs();
            for (int i = 0; i < z.length; i++) {
                zeros[i] = (int) z[i];
            }
        }
        int axis = 0;
        if (scales.length > 1 || scale.dims().length == 1) {
            int[] shape = ctx.shape(x);
            if (shape == null) {
                throw attrs.error("the shape of input '" + x + "' is unknown");
            }
            long a = attrs.i("axis", 1);
            axis = (int) (a < 0 ? a + shape.length : a);
            if (axis < 0 || axis >= shape.length || (scales.length > 1 && shape[axis] != scales.length)) {
                throw attrs.error(scales.length + " scales along axis " + a + " of '" + x + "', whose shape is "
                        + Arrays.toString(shape));
            }
        }
        try {
            return new Attrs.Quantize(scales, zeros, axis, type);
        } catch (IllegalArgumentException e) {
            throw attrs.error(e.getMessage());
        }
    }

    private Attrs.QuantType type(DataType t, String what) {
        return switch (t) {
            case UINT8 -> Attrs.QuantType.UINT8;
            case INT8 -> Attrs.QuantType.INT8;
            case INT32 -> Attrs.QuantType.INT32;
            default -> throw attrs.error(what + " is " + t + "; only UINT8, INT8 and INT32 are supported");
        };
    }

    private Node node(String x, Attrs.Quantize params) {
        return Node.of(name, Op.QUANTIZE_DEQUANTIZE, params, List.of(x), List.of(output()), modulePath);
    }

    private String data() {
        if (proto.getInputCount() < 2 || proto.getInputCount() > 3) {
            throw attrs.error("expected 2 or 3 inputs (x, scale, zero_point), got " + proto.getInputCount());
        }
        return OnnxNodeImport.dataInput(proto, attrs, 3);
    }

    private String output() {
        if (proto.getOutputCount() != 1 || proto.getOutput(0).isEmpty()) {
            throw attrs.error("expected one output, got " + proto.getOutputCount());
        }
        return proto.getOutput(0);
    }

    private OnnxTensors.Constant constant(int k, String what, boolean required) {
        return OnnxNodeImport.constInput(proto, ctx, attrs, k, what, required);
    }

    private String uniqueConstantName(String base) {
        String n = base;
        for (int i = 1; ctx.shape(n) != null; i++) {
            n = base + "_" + i;
        }
        return n;
    }
}
