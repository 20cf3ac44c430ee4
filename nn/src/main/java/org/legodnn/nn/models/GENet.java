package org.legodnn.nn.models;

import java.util.List;
import org.legodnn.nn.AdaptiveAvgPool2d;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Linear;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * GENet, the GPU-efficient networks of Lin et al. ("Neural Architecture Design for GPU-Efficient Networks"),
 * built from the PlainNet structure strings in which they are published, so that a LegoDNN user can cut up
 * the same networks the paper profiles. The string's blocks become {@code module_list.0}, {@code .1}, ...;
 * a trailing {@code AdaptiveAvgPool} becomes {@code adptive_avg_pool} (sic, the original's name) and a
 * classifier {@code fc_linear} follows, as in the original {@code PlainNet}, so its weights load by name.
 *
 * <p>With 1000 classes the three published networks have 8.17M (small), 21.14M (normal) and 31.08M (large)
 * parameters. The first convolution takes {@code inChannels} instead of the string's 3.
 */
public final class GENet extends Module {

    /** GENet-light (the string's blocks without their uuid names). */
    public static final String SMALL = "ConvKX(3,13,3,2)BN(13)RELU(13)SuperResKXKX(13,48,3,2,1.0,1)"
            + "SuperResKXKX(48,48,3,2,1.0,3)SuperResK1KXK1(48,384,3,2,0.25,7)SuperResK1DWK1(384,560,3,2,3.0,2)"
            + "SuperResK1DWK1(560,256,3,1,3.0,1)ConvKX(256,1920,1,1)BN(1920)RELU(1920)AdaptiveAvgPool(1920,1)";

    /** GENet-normal. */
    public static final String NORMAL = "ConvKX(3,32,3,2)BN(32)RELU(32)SuperResKXKX(32,128,3,2,1.0,1)"
            + "SuperResKXKX(128,192,3,2,1.0,2)SuperResK1KXK1(192,640,3,2,0.25,6)SuperResK1DWK1(640,640,3,2,3.0,4)"
            + "SuperResK1DWK1(640,640,3,1,3.0,1)ConvKX(640,2560,1,1)BN(2560)RELU(2560)AdaptiveAvgPool(2560,1)";

    /** GENet-large. */
    public static final String LARGE = "ConvKX(3,32,3,2)BN(32)RELU(32)SuperResKXKX(32,128,3,2,1.0,1)"
            + "SuperResKXKX(128,192,3,2,1.0,2)SuperResK1KXK1(192,640,3,2,0.25,6)SuperResK1DWK1(640,640,3,2,3.0,5)"
            + "SuperResK1DWK1(640,640,3,1,3.0,4)ConvKX(640,2560,1,1)BN(2560)RELU(2560)AdaptiveAvgPool(2560,1)";

    private final Sequential moduleList;
    private final NetBlock adaptiveAvgPool;
    private final Linear fcLinear;

    public static GENet small(int inChannels, int numClasses) {
        return new GENet(SMALL, inChannels, numClasses);
    }

    public static GENet normal(int inChannels, int numClasses) {
        return new GENet(NORMAL, inChannels, numClasses);
    }

    public static GENet large(int inChannels, int numClasses) {
        return new GENet(LARGE, inChannels, numClasses);
    }

    /**
     * @param structure a PlainNet structure string (see {@link PlainNetParser})
     * @param inChannels image channels, replacing the first convolution's input channels
     * @param numClasses outputs of {@code fc_linear}
     */
    public GENet(String structure, int inChannels, int numClasses) {
        if (inChannels <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("GENet: " + inChannels + " input channels, " + numClasses
                    + " classes (expected both positive)");
        }
        List<PlainNetBlock> blocks = PlainNetParser.parse(structure);
        PlainNetBlock last = blocks.get(blocks.size() - 1);
        PlainNetBlock.AdaptiveAvgPool pool = last instanceof PlainNetBlock.AdaptiveAvgPool p
                ? p : new PlainNetBlock.AdaptiveAvgPool(last.outChannels(), 1);
        int count = last instanceof PlainNetBlock.AdaptiveAvgPool ? blocks.size() - 1 : blocks.size();
        moduleList = registerModule("module_list", new Sequential());
        int channels = inChannels;
        for (int i = 0; i < count; i++) {
            PlainNetBlock b = blocks.get(i);
            if (b instanceof PlainNetBlock.ConvKX c && i == 0) {
                b = new PlainNetBlock.ConvKX(inChannels, c.outChannels(), c.kernel(), c.stride());
            }
            if (b.inChannels() != channels) {
                throw new IllegalArgumentException("GENet: block " + i + " (" + b + ") takes " + b.inChannels()
                        + " channels but the previous block gives " + channels);
            }
            moduleList.add(module(b));
            channels = b.outChannels();
        }
        if (pool.channels() != channels) {
            throw new IllegalArgumentException("GENet: " + pool + " takes " + pool.channels()
                    + " channels but the previous block gives " + channels);
        }
        adaptiveAvgPool = registerModule("adptive_avg_pool", new NetBlock(avgPool(pool.size()), false));
        fcLinear = registerModule("fc_linear", new Linear(pool.outChannels(), numClasses));
    }

    private static Module module(PlainNetBlock b) {
        if (b instanceof PlainNetBlock.ConvKX c) {
            return new NetBlock(new Conv2d(c.inChannels(), c.outChannels(), c.kernel(), c.stride(),
                    (c.kernel() - 1) / 2, 1, 1, false, Init.defaultRandom()), false);
        } else if (b instanceof PlainNetBlock.ConvDW c) {
            return new NetBlock(new Conv2d(c.channels(), c.channels(), c.kernel(), c.stride(),
                    (c.kernel() - 1) / 2, 1, c.channels(), false, Init.defaultRandom()), false);
        } else if (b instanceof PlainNetBlock.BN bn) {
            return new NetBlock(new BatchNorm2d(bn.channels()), false);
        } else if (b instanceof PlainNetBlock.Relu) {
            return new ReLU();
        } else if (b instanceof PlainNetBlock.SuperRes s) {
            return new SuperResBlock(s.kind(), s.inChannels(), s.outChannels(), s.kernel(), s.stride(),
                    s.expansion(), s.sublayers());
        } else if (b instanceof PlainNetBlock.AdaptiveAvgPool p) {
            return new NetBlock(avgPool(p.size()), false);
        } else {
            PlainNetBlock.Linear l = (PlainNetBlock.Linear) b;
            return new NetBlock(new Linear(l.inChannels(), l.outChannels(), l.bias(), Init.defaultRandom()), true);
        }
    }

    private static Module avgPool(int size) {
        return size == 1 ? new AdaptiveAvgPool2d(1) : new AdaptiveAvgPoolGrid(size);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = moduleList.call(x);
        // A structure that ends in a Linear block has already flattened its features.
        Tensor pooled = out.rank() == 4 ? adaptiveAvgPool.call(out) : out;
        return fcLinear.call(Ops.flatten(pooled));
    }

    /** The blocks of the structure string, in order (without the final pooling). */
    public Sequential moduleList() {
        return moduleList;
    }

    public Linear fcLinear() {
        return fcLinear;
    }
}
