package org.legodnn.graph.trace;

import org.legodnn.graph.Attrs;
import org.legodnn.graph.Op;
import org.legodnn.nn.AdaptiveAvgPool2d;
import org.legodnn.nn.AvgPool2d;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.ConvTranspose2d;
import org.legodnn.nn.Linear;
import org.legodnn.nn.MaxPool2d;
import org.legodnn.nn.Module;
import org.legodnn.nn.Upsample;
import org.legodnn.nn.models.AdaptiveAvgPoolGrid;
import org.legodnn.tensor.Tensor;

/**
 * The layers whose settings a tracer cannot see in the ops they run (a convolution's stride and padding,
 * BatchNorm's epsilon, a pool's window): a call of one of these modules becomes one node, built from the
 * module's own getters, and the ops inside it are not recorded separately.
 */
final class LayerNodes {

    /** One traced layer: its op, settings and the module tensors it reads after the data input. */
    record Layer(Op op, Attrs attrs, Tensor... weights) {
    }

    private LayerNodes() {
    }

    static boolean isLayer(Module m) {
        return m instanceof Conv2d || m instanceof ConvTranspose2d || m instanceof BatchNorm2d || m instanceof Linear
                || m instanceof MaxPool2d || m instanceof AvgPool2d || m instanceof AdaptiveAvgPool2d
                || m instanceof Upsample || m instanceof AdaptiveAvgPoolGrid;
    }

    /** The node for a call of {@code m} that mapped {@code x} to {@code y}. */
    static Layer of(Module m, String path, Tensor x, Tensor y) {
        if (m instanceof Conv2d c) {
            return new Layer(Op.CONV, Attrs.Conv.of(c.stride(), c.padding(), c.dilation(), c.groups()),
                    withBias(c.weight(), c.bias()));
        }
        if (m instanceof ConvTranspose2d c) {
            int p = c.padding();
            return new Layer(Op.CONV_TRANSPOSE, new Attrs.ConvTranspose(c.stride(), c.stride(), p, p, p, p,
                    c.dilation(), c.dilation(), c.groups(), c.outputPadding(), c.outputPadding()),
                    withBias(c.weight(), c.bias()));
        }
        if (m instanceof BatchNorm2d bn) {
            if (bn.weight() == null || bn.runningMean() == null) {
                throw new IllegalArgumentException("trace: BatchNorm2d at '" + path + "' has no affine parameters or no "
                        + "running statistics; only the standard BatchNorm2d can be traced");
            }
            return new Layer(Op.BATCH_NORM, new Attrs.BatchNorm(bn.eps(), bn.momentum()), bn.weight(), bn.bias(),
                    bn.runningMean(), bn.runningVar());
        }
        if (m instanceof Linear l) {
            if (x.rank() != 2) {
                throw new IllegalArgumentException("trace: Linear at '" + path + "' got a rank-" + x.rank()
                        + " input; only [N, features] can be traced");
            }
            return new Layer(Op.GEMM, Attrs.Gemm.LINEAR, withBias(l.weight(), l.bias()));
        }
        if (m instanceof MaxPool2d p) {
            return new Layer(Op.MAX_POOL, pool(p.kernelSize(), p.stride(), p.padding(), p.ceilMode(), false), new Tensor[0]);
        }
        if (m instanceof AvgPool2d p) {
            return new Layer(Op.AVG_POOL, pool(p.kernelSize(), p.stride(), p.padding(), p.ceilMode(), p.countIncludePad()),
                    new Tensor[0]);
        }
        if (m instanceof AdaptiveAvgPool2d) {
            return new Layer(Op.GLOBAL_AVG_POOL, Attrs.None.INSTANCE, new Tensor[0]);
        }
        if (m instanceof Upsample u) {
            float s = u.scale();
            return u.mode() == Upsample.Mode.NEAREST
                    ? new Layer(Op.RESIZE, new Attrs.Resize(Attrs.ResizeMode.NEAREST, new float[] {1, 1, s, s}, null,
                            Attrs.CoordinateMode.ASYMMETRIC, Attrs.NearestMode.FLOOR), new Tensor[0])
                    : new Layer(Op.RESIZE, new Attrs.Resize(Attrs.ResizeMode.LINEAR, new float[] {1, 1, s, s}, null,
                            Attrs.CoordinateMode.PYTORCH_HALF_PIXEL, Attrs.NearestMode.FLOOR), new Tensor[0]);
        }
        if (m instanceof AdaptiveAvgPoolGrid p) {
            // an s×s output: pass-through, a k·s input pooled by k, or a 1×1 input repeated
            if (x.dim(2) == 1 && x.dim(3) == 1 && y.dim(2) > 1) {
                float s = p.outputSize();
                return new Layer(Op.RESIZE, new Attrs.Resize(Attrs.ResizeMode.NEAREST, new float[] {1, 1, s, s}, null,
                        Attrs.CoordinateMode.ASYMMETRIC, Attrs.NearestMode.FLOOR), new Tensor[0]);
            }
            int k = x.dim(2) / p.outputSize();
            return new Layer(Op.AVG_POOL, pool(k, k, 0, false, true), new Tensor[0]);
        }
        throw new IllegalArgumentException("trace: no node for module " + m + " at '" + path + "'");
    }

    private static Tensor[] withBias(Tensor w, Tensor b) {
        return b == null ? new Tensor[] {w} : new Tensor[] {w, b};
    }

    private static Attrs.Pool pool(int k, int s, int p, boolean ceil, boolean countIncludePad) {
        return new Attrs.Pool(k, k, s, s, p, p, p, p, 1, 1, ceil, countIncludePad);
    }
}
