package org.legodnn.graph.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.quant.QuantizeDequantize;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.conv.PreparedConv;
import org.legodnn.kernels.pool.PoolGeometry;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Turns one step of a compiled graph into code over the plan's buffers: the ops that dominate CNN inference
 * (fused convolution, pooling, ReLU, Add, Linear, channel Concat, quantize-dequantize) call the CPU kernels
 * directly on preallocated arrays, with every shape fixed in advance; any other op runs through
 * {@link Interpreter#compute} and its result is copied into the planned buffer, so that every graph the
 * interpreter runs also compiles.
 */
final class PlanSteps {

    private PlanSteps() {
    }

    /**
     * The step for {@code f} on {@code cpu}'s kernels: reads buffers {@code in} (-1 for an absent optional input)
     * and {@code res} (-1: none), writes buffer {@code y}. {@code conv} is the prepared kernel of a convolution
     * (float or int8), or null.
     */
    static InferencePlan.Step create(Backend cpu, Graph g, FusedNode f, PreparedConv conv, int[] in, int res, int y) {
        Node n = f.node();
        int x = in[0];
        int[] xs = g.shape(n.input(0));
        int size = Shapes.checkedSize(n.name(), g.shape(n.output()));
        switch (n.op()) {
            case CONV:
                if (conv != null) {
                    return conv(n.attrs(Attrs.Conv.class), conv, xs, x, res, y);
                }
                break;
            case RELU:
                return b -> cpu.relu(size, b[x], b[y]);
            case CLIP: {
                Attrs.Clip c = n.attrs(Attrs.Clip.class);
                if (c.isRelu6()) {
                    return b -> cpu.relu6(size, b[x], b[y]);
                }
                float lo = c.min();
                float hi = c.max();
                return b -> clamp(b[x], null, b[y], size, lo, hi);
            }
            case SIGMOID:
                return b -> cpu.sigmoid(size, b[x], b[y]);
            case TANH:
                return b -> cpu.tanh(size, b[x], b[y]);
            case EXP:
                return b -> cpu.exp(size, b[x], b[y]);
            case QUANTIZE_DEQUANTIZE: {
                Attrs.Quantize q = n.attrs(Attrs.Quantize.class);
                int[] shape = g.shape(n.output());
                return b -> QuantizeDequantize.apply(b[x], shape, q, b[y]);
            }
            case SLICE: {
                Attrs.Slice a = n.attrs(Attrs.Slice.class);
                return b -> Layout.slice(b[x], xs, a, b[y]);
            }
            case ADD:
                if (BufferPlan.elementwise(f, g)) {
                    int other = in[1];
                    InferencePlan.Step clamp = clampInPlace(cpu, f, y, size);
                    return clamp == null ? b -> cpu.add(size, b[x], b[other], b[y]) : b -> {
                        cpu.add(size, b[x], b[other], b[y]);
                        clamp.run(b);
                    };
                }
                break;
            case FLATTEN:
            case RESHAPE:
            case IDENTITY:
                return b -> System.arraycopy(b[x], 0, b[y], 0, size);
            case MAX_POOL:
            case AVG_POOL: {
                Attrs.Pool a = n.attrs(Attrs.Pool.class);
                if (xs.length == 4 && a.symmetricPads() && a.dilationH() == 1 && a.dilationW() == 1
                        && 2 * a.padTop() <= a.kernelH() && 2 * a.padLeft() <= a.kernelW()) {
                    PoolGeometry pg = new PoolGeometry(xs[0], xs[1], xs[2], xs[3], a.kernelH(), a.kernelW(),
                            a.strideH(), a.strideW(), a.padTop(), a.padLeft(), a.ceilMode());
                    if (n.op() == Op.MAX_POOL) {
                        return b -> cpu.maxPool2d(pg, b[x], b[y], null);
                    }
                    boolean includePad = a.countIncludePad();
                    return b -> cpu.avgPool2d(pg, includePad, b[x], b[y]);
                }
                break;
            }
            case GLOBAL_AVG_POOL:
                if (xs.length >= 3) {
                    int hw = Shapes.checkedSize(n.name(), xs) / (xs[0] * xs[1]);
                    return b -> cpu.globalAvgPool(xs[0], xs[1], hw, b[x], b[y]);
                }
                break;
            case GEMM: {
                InferencePlan.Step s = linear(cpu, g, n, in, y);
                if (s != null) {
                    InferencePlan.Step clamp = clampInPlace(cpu, f, y, size);
                    return clamp == null ? s : b -> {
                        s.run(b);
                        clamp.run(b);
                    };
                }
                break;
            }
            case CONCAT:
                if (n.attrs(Attrs.Concat.class).axis() == 1 && xs.length >= 2) {
                    return concatChannels(cpu, g, n, in, y);
                }
                break;
            default:
                break;
        }
        return interpreted(g, f, in, res, y);
    }

    private static InferencePlan.Step conv(Attrs.Conv a, PreparedConv conv, int[] xs, int x, int res, int y) {
        if (a.symmetricPads()) {
            ConvGeometry geo = geometry(a, conv, xs[0], xs[1], xs[2], xs[3], a.padTop(), a.padLeft());
            return b -> conv.forward(geo, b[x], res < 0 ? null : b[res], b[y]);
        }
        // ONNX's asymmetric pads: pad the input explicitly into a buffer of the plan, then run unpadded.
        int ph = xs[2] + a.padTop() + a.padBottom();
        int pw = xs[3] + a.padLeft() + a.padRight();
        ConvGeometry geo = geometry(a, conv, xs[0], xs[1], ph, pw, 0, 0);
        float[] padded = new float[geo.inputSize()];
        int top = a.padTop();
        int left = a.padLeft();
        return b -> {
            float[] src = b[x];
            for (int p = 0; p < xs[0] * xs[1]; p++) {
                for (int i = 0; i < xs[2]; i++) {
                    System.arraycopy(src, (p * xs[2] + i) * xs[3], padded, (p * ph + i + top) * pw + left, xs[3]);
                }
            }
            conv.forward(geo, padded, res < 0 ? null : b[res], b[y]);
        };
    }

    private static ConvGeometry geometry(Attrs.Conv a, PreparedConv conv, int n, int c, int h, int w, int padH,
                                         int padW) {
        int cout = conv.outChannels();
        return new ConvGeometry(n, c, h, w, cout, conv.kernelH(), conv.kernelW(), a.strideH(), a.strideW(), padH,
                padW, a.dilationH(), a.dilationW(), a.groups());
    }

    /** PyTorch's Linear ({@code x·Wᵀ + b}, weights constant) on the GEMM kernel; null for any other Gemm. */
    private static InferencePlan.Step linear(Backend cpu, Graph g, Node n, int[] in, int y) {
        Attrs.Gemm a = n.attrs(Attrs.Gemm.class);
        int[] xs = g.shape(n.input(0));
        Tensor w = g.initializer(n.input(1));
        String biasName = n.input(2);
        Tensor bias = biasName == null || biasName.isEmpty() ? null : g.initializer(biasName);
        if (a.alpha() != 1f || a.transA() || xs.length != 2 || w == null || w.rank() != 2
                || (biasName != null && !biasName.isEmpty() && (bias == null || a.beta() != 1f))) {
            return null;
        }
        int m = xs[0];
        int k = xs[1];
        boolean transB = a.transB();
        int nOut = transB ? w.dim(0) : w.dim(1);
        if ((transB ? w.dim(1) : w.dim(0)) != k || (bias != null && bias.size() != nOut)) {
            return null;
        }
        float[] wd = w.data();
        float[] bd = bias == null ? null : bias.data();
        int x = in[0];
        return b -> {
            float[] out = b[y];
            cpu.gemm(false, transB, m, nOut, k, b[x], 0, k, wd, 0, transB ? k : nOut, false, out, 0, nOut);
            if (bd != null) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < nOut; j++) {
                        out[i * nOut + j] += bd[j];
                    }
                }
            }
        };
    }

    private static InferencePlan.Step concatChannels(Backend cpu, Graph g, Node n, int[] in, int y) {
        int[] first = g.shape(n.input(0));
        int hw = Shapes.checkedSize(n.name(), first) / (first[0] * first[1]);
        int[] channels = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            channels[i] = g.shape(n.input(i))[1];
        }
        int batch = first[0];
        return b -> {
            float[][] parts = new float[in.length][];
            for (int i = 0; i < in.length; i++) {
                parts[i] = b[in[i]];
            }
            cpu.concatChannels(batch, hw, channels, parts, b[y]);
        };
    }

    /** Any other op: the interpreter computes it from exact-size tensors; the result is copied into place. */
    private static InferencePlan.Step interpreted(Graph g, FusedNode f, int[] in, int res, int y) {
        Node n = f.node();
        List<int[]> shapes = new ArrayList<>();
        for (String v : n.inputs()) {
            shapes.add(v == null || v.isEmpty() ? null : g.shape(v));
        }
        int size = Shapes.checkedSize(n.name(), g.shape(n.output()));
        float lo = f.clampMin();
        float hi = f.clampMax();
        boolean epilogue = f.isFused();
        return b -> {
            List<Tensor> args = new ArrayList<>(in.length);
            for (int i = 0; i < in.length; i++) {
                if (in[i] < 0) {
                    args.add(null);
                    continue;
                }
                int[] s = shapes.get(i);
                int len = Shapes.checkedSize(n.name(), s);
                float[] data = b[in[i]];
                args.add(Tensor.of(data.length == len ? data : Arrays.copyOf(data, len), s));
            }
            float[] out = Interpreter.compute(n, args).data();
            if (epilogue) {
                clamp(out, res < 0 ? null : b[res], b[y], size, lo, hi);
            } else {
                System.arraycopy(out, 0, b[y], 0, size);
            }
        };
    }

    /** The folded clamp of {@code f} applied to buffer {@code y} in place (ReLU and ReLU6 vectorized); null if none. */
    private static InferencePlan.Step clampInPlace(Backend cpu, FusedNode f, int y, int size) {
        float lo = f.clampMin();
        float hi = f.clampMax();
        if (!f.hasClamp()) {
            return null;
        } else if (lo == 0f && hi == Float.POSITIVE_INFINITY) {
            return b -> cpu.relu(size, b[y], b[y]);
        } else if (lo == 0f && hi == 6f) {
            return b -> cpu.relu6(size, b[y], b[y]);
        }
        return b -> clamp(b[y], null, b[y], size, lo, hi);
    }

    /** {@code y = clamp(x + r, lo, hi)} over {@code len} values; {@code r} may be null. */
    private static void clamp(float[] x, float[] r, float[] y, int len, float lo, float hi) {
        for (int i = 0; i < len; i++) {
            float v = r == null ? x[i] : x[i] + r[i];
            y[i] = Math.min(Math.max(v, lo), hi);
        }
    }
}
