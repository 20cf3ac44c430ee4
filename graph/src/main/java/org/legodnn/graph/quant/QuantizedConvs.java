package org.legodnn.graph.quant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.kernels.quant.ActivationQuantization;
import org.legodnn.tensor.Tensor;

/**
 * The QDQ pattern that runs in int8: a convolution whose input is a quantize-dequantize of an activation (uint8 or
 * int8, one scale) and whose weight is a quantize-dequantize of a constant (int8, symmetric, per output channel or
 * per tensor) — what {@link StaticQuantizer} and ONNX Runtime's {@code quantize_static} write. The lowering hands
 * these to the device as int8 kernels, which quantize the input themselves, so the activation's
 * quantize-dequantize pass goes wherever only such convolutions read it ({@link #readUnquantized}).
 *
 * <p>Left in float: grouped and depthwise convolutions, weights with a zero point, and a convolution followed by a
 * BatchNorm (folding it would change the weights the levels describe).
 */
public final class QuantizedConvs {

    private QuantizedConvs() {
    }

    /**
     * One convolution's int8 form.
     *
     * @param input        the value its input quantize-dequantize reads
     * @param activation   how that input is quantized
     * @param weight       int8 levels, {@code [cout, cin, kh, kw]} row-major
     * @param weightScales one scale per output channel, or one for all
     * @param output       the quantize-dequantize that alone reads the convolution's output, which the kernel then
     *                     applies in its epilogue (requantization), or null
     * @param outputValue  that quantize-dequantize's output, which the convolution then writes, or null
     */
    public record QuantizedConv(String input, ActivationQuantization activation, byte[] weight, float[] weightScales,
                                ActivationQuantization output, String outputValue) {
    }

    /** The convolutions of {@code graph} (a QDQ model before any folding) that run in int8, by node name. */
    public static Map<String, QuantizedConv> find(Graph graph) {
        Map<String, QuantizedConv> found = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            QuantizedConv q = n.op() == Op.CONV ? match(graph, n) : null;
            if (q != null) {
                found.put(n.name(), q);
            }
        }
        return found;
    }

    private static QuantizedConv match(Graph g, Node conv) {
        if (conv.attrs(Attrs.Conv.class).groups() != 1) {
            return null;
        }
        for (Node c : g.consumers(conv.output())) {
            if (c.op() == Op.BATCH_NORM) {
                return null;
            }
        }
        Node xq = g.producer(conv.input(0));
        Node wq = g.producer(conv.input(1));
        if (xq == null || wq == null || xq.op() != Op.QUANTIZE_DEQUANTIZE || wq.op() != Op.QUANTIZE_DEQUANTIZE
                || g.isInitializer(xq.input(0)) || !g.isInitializer(wq.input(0))) {
            return null;
        }
        Attrs.Quantize x = xq.attrs(Attrs.Quantize.class);
        Attrs.Quantize w = wq.attrs(Attrs.Quantize.class);
        Tensor weight = g.initializer(wq.input(0));
        if (activation(x) == null || w.type() != Attrs.QuantType.INT8
                || weight.rank() != 4 || (w.perChannel() && (w.axis() != 0 || w.scales().length != weight.dim(0)))) {
            return null;
        }
        for (int zp : w.zeroPoints()) {
            if (zp != 0) {
                return null;
            }
        }
        long[] levels = QuantizeDequantize.quantizeAll(weight, w);
        byte[] bytes = new byte[levels.length];
        for (int i = 0; i < levels.length; i++) {
            bytes[i] = (byte) levels[i];
        }
        List<Node> readers = g.consumers(conv.output());
        Node yq = readers.size() == 1 && readers.get(0).op() == Op.QUANTIZE_DEQUANTIZE
                && !g.outputs().contains(conv.output()) ? readers.get(0) : null;
        ActivationQuantization output = yq == null ? null : activation(yq.attrs(Attrs.Quantize.class));
        return new QuantizedConv(xq.input(0), activation(x), bytes, w.scales().clone(), output,
                output == null ? null : yq.output());
    }

    /** The 8-bit per-tensor quantization {@code q} describes; null for any other. */
    private static ActivationQuantization activation(Attrs.Quantize q) {
        if (q.perChannel() || q.type() == Attrs.QuantType.INT32) {
            return null;
        }
        return q.type() == Attrs.QuantType.UINT8 ? ActivationQuantization.uint8(q.scales()[0], q.zeroPoints()[0])
                : ActivationQuantization.int8(q.scales()[0], q.zeroPoints()[0]);
    }

    /**
     * {@code lowered} with each of {@code convs} reading the value its input quantize-dequantize reads (the int8
     * kernel quantizes it the same way) and writing the value its output quantize-dequantize wrote (the kernel
     * requantizes in its epilogue), and every activation quantize-dequantize that nothing reads any more removed;
     * {@code lowered} itself when {@code convs} is empty.
     */
    public static Graph readUnquantized(Graph lowered, Map<String, QuantizedConv> convs) {
        if (convs.isEmpty()) {
            return lowered;
        }
        List<Node> rewired = new ArrayList<>();
        Set<String> read = new HashSet<>(lowered.outputs());
        Map<String, String> renamed = new HashMap<>();   // a convolution's own output -> the requantized one it writes
        Set<String> absorbed = new HashSet<>();          // the outputs of the quantize-dequantize nodes now in epilogues
        for (Node n : lowered.nodes()) {
            QuantizedConv q = convs.get(n.name());
            if (q != null) {
                List<String> inputs = new ArrayList<>(n.inputs());
                inputs.set(0, renamed.getOrDefault(q.input(), q.input()));
                List<String> outputs = n.outputs();
                if (q.outputValue() != null) {
                    renamed.put(n.output(), q.outputValue());
                    absorbed.add(q.outputValue());
                    outputs = List.of(q.outputValue());
                }
                n = new Node(n.index(), n.name(), n.op(), n.attrs(), inputs, outputs, n.modulePath());
            }
            rewired.add(n);
            read.addAll(n.inputs());
        }
        rewired.removeIf(n -> n.op() == Op.QUANTIZE_DEQUANTIZE
                && (absorbed.contains(n.output()) || !read.contains(n.output())));
        return new Graph(lowered.name(), lowered.inputs(), lowered.outputs(), lowered.initializers(), rewired);
    }
}
