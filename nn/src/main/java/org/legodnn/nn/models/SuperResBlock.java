package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * GENet's "super" residual block: {@code sublayers} residual units in a row, each out = relu(body(x) +
 * shortcut(x)); only the first unit changes width (in → out) and stride, and its shortcut is a 1×1 conv + BN
 * when it does (an identity otherwise). Three bodies, by {@link Kind}, with e = round(out·expansion):
 * <ul>
 * <li>{@code KXKX} (XX-block): k×k conv to e (stride), BN, ReLU, k×k conv to out, BN;</li>
 * <li>{@code K1KXK1} (BL-block, bottleneck): 1×1 to e, BN, ReLU, k×k (stride), BN, ReLU, 1×1 to out, BN;</li>
 * <li>{@code K1DWK1} (DW-block, inverted residual): as K1KXK1 with a depthwise k×k in the middle.</li>
 * </ul>
 * State-dict names follow the GPU-Efficient-Networks code: {@code conv_list.<unit>.<layer>} and
 * {@code shortcut_list.<unit>.0}/{@code .1}.
 */
public final class SuperResBlock extends Module {

    /** The body of each unit. */
    public enum Kind { KXKX, K1KXK1, K1DWK1 }

    private final Kind kind;
    private final Sequential convList;
    private final Sequential shortcutList;

    public SuperResBlock(Kind kind, int in, int out, int kernel, int stride, double expansion, int sublayers) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || !(expansion > 0) || sublayers <= 0) {
            throw new IllegalArgumentException("SuperResBlock: " + kind + " in=" + in + " out=" + out + " kernel="
                    + kernel + " stride=" + stride + " expansion=" + expansion + " sublayers=" + sublayers
                    + " (expected positive values)");
        }
        this.kind = kind;
        convList = registerModule("conv_list", new Sequential());
        shortcutList = registerModule("shortcut_list", new Sequential());
        for (int i = 0; i < sublayers; i++) {
            int cin = i == 0 ? in : out;
            int s = i == 0 ? stride : 1;
            // Python's round() rounds halves to even, as Math.rint does.
            int e = (int) Math.rint(out * expansion);
            convList.add(body(kind, cin, out, e, kernel, s));
            Sequential shortcut = new Sequential();
            if (s != 1 || cin != out) {
                shortcut.add(conv(cin, out, 1, s, 1));
                shortcut.add(new BatchNorm2d(out));
            }
            shortcutList.add(shortcut);
        }
    }

    private static Sequential body(Kind kind, int in, int out, int e, int k, int stride) {
        return switch (kind) {
            case KXKX -> new Sequential(
                    conv(in, e, k, stride, 1), new BatchNorm2d(e), new ReLU(),
                    conv(e, out, k, 1, 1), new BatchNorm2d(out));
            case K1KXK1 -> new Sequential(
                    conv(in, e, 1, 1, 1), new BatchNorm2d(e), new ReLU(),
                    conv(e, e, k, stride, 1), new BatchNorm2d(e), new ReLU(),
                    conv(e, out, 1, 1, 1), new BatchNorm2d(out));
            case K1DWK1 -> new Sequential(
                    conv(in, e, 1, 1, 1), new BatchNorm2d(e), new ReLU(),
                    conv(e, e, k, stride, e), new BatchNorm2d(e), new ReLU(),
                    conv(e, out, 1, 1, 1), new BatchNorm2d(out));
        };
    }

    private static Conv2d conv(int in, int out, int k, int stride, int groups) {
        return new Conv2d(in, out, k, stride, (k - 1) / 2, 1, groups, false, Init.defaultRandom());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = x;
        for (int i = 0; i < convList.size(); i++) {
            Tensor body = convList.get(i).call(out);
            out = Ops.relu(Ops.add(body, shortcutList.get(i).call(out)));
        }
        return out;
    }

    public Kind kind() {
        return kind;
    }

    /** How many residual units the block holds. */
    public int sublayers() {
        return convList.size();
    }
}
