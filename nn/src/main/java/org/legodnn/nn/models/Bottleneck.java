package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * torchvision's {@code Bottleneck} (ResNet-50 and ResNeXt, "ResNet v1.5": the stride sits on the 3×3 conv):
 * a 1×1 conv down to {@code width}, a grouped 3×3 conv, a 1×1 conv up to {@code 4·planes}, each followed by
 * BN, and the shortcut {@code downsample} when the shape changes. width = ⌊planes·widthPerGroup/64⌋·groups,
 * so groups 1 and width 64 give ResNet-50 and groups 32, width 4 give ResNeXt-50 32×4d.
 */
public final class Bottleneck extends Module {

    /** Output channels per unit of {@code planes}. */
    public static final int EXPANSION = 4;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final Sequential downsample;

    /** {@code downsample} is null for the identity shortcut. */
    public Bottleneck(int inplanes, int planes, int stride, Sequential downsample, int groups, int widthPerGroup) {
        this(inplanes, planes, stride, downsample, groups, widthPerGroup, 1);
    }

    /** As torchvision's: {@code dilation} dilates (and pads) the 3×3 conv only. */
    public Bottleneck(int inplanes, int planes, int stride, Sequential downsample, int groups, int widthPerGroup,
                      int dilation) {
        int width = (int) (planes * (widthPerGroup / 64.0)) * groups;
        conv1 = registerModule("conv1", new Conv2d(inplanes, width, 1, 1, 0, false));
        bn1 = registerModule("bn1", new BatchNorm2d(width));
        conv2 = registerModule("conv2", new Conv2d(width, width, 3, stride, dilation, dilation, groups, false,
                Init.defaultRandom()));
        bn2 = registerModule("bn2", new BatchNorm2d(width));
        conv3 = registerModule("conv3", new Conv2d(width, planes * EXPANSION, 1, 1, 0, false));
        bn3 = registerModule("bn3", new BatchNorm2d(planes * EXPANSION));
        this.downsample = downsample == null ? null : registerModule("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = Ops.relu(bn1.call(conv1.call(x)));
        out = Ops.relu(bn2.call(conv2.call(out)));
        out = bn3.call(conv3.call(out));
        Tensor identity = downsample == null ? x : downsample.call(x);
        return Ops.relu(Ops.add(out, identity));
    }

    /** The projection (1×1 conv + BN), or null for the identity. */
    public Sequential downsample() {
        return downsample;
    }
}
