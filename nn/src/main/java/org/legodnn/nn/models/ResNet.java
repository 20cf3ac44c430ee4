package org.legodnn.nn.models;

import java.util.Arrays;
import org.legodnn.nn.AdaptiveAvgPool2d;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.Linear;
import org.legodnn.nn.MaxPool2d;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * torchvision's ImageNet ResNet and ResNeXt, with the same module tree so that torchvision state dicts load
 * by name: a 7×7/2 stem ({@code conv1}, {@code bn1}, {@code relu}, {@code maxpool} 3×3/2), four stages
 * {@code layer1..layer4} of {@link ResNetBasicBlock}s or {@link Bottleneck}s at 64, 128, 256, 512 planes,
 * {@code avgpool} and {@code fc}. Convolutions start from Kaiming-normal weights (fan_out, ReLU), as
 * torchvision initializes them.
 *
 * <p>Built without its head ({@link #backbone}) it stops after {@code layer4} and returns the feature map,
 * which is what a segmentation network puts its decoder on (torchvision's {@code IntermediateLayerGetter}
 * likewise drops {@code avgpool} and {@code fc}). A backbone may also replace the stride of {@code layer2..layer4}
 * by dilation, as torchvision's {@code replace_stride_with_dilation} does, for dense prediction at output stride
 * 16 or 8.
 */
public final class ResNet extends Module {

    /** Which residual unit the stages are made of. */
    public enum Block {
        BASIC(ResNetBasicBlock.EXPANSION), BOTTLENECK(Bottleneck.EXPANSION);

        private final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }

        /** Output channels per plane. */
        public int expansion() {
            return expansion;
        }
    }

    private final Block block;
    private final int groups;
    private final int widthPerGroup;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final Sequential[] layers = new Sequential[4];
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private final int width;
    private int inplanes;
    private int dilation = 1;

    public static ResNet resnet18(int inChannels, int numClasses) {
        return new ResNet(Block.BASIC, new int[] {2, 2, 2, 2}, 1, 64, inChannels, numClasses, true, 64);
    }

    public static ResNet resnet34(int inChannels, int numClasses) {
        return new ResNet(Block.BASIC, new int[] {3, 4, 6, 3}, 1, 64, inChannels, numClasses, true, 64);
    }

    public static ResNet resnet50(int inChannels, int numClasses) {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, 1, 64, inChannels, numClasses, true, 64);
    }

    /** ResNeXt-50 with 32 groups of width 4. */
    public static ResNet resnext50_32x4d(int inChannels, int numClasses) {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, 32, 4, inChannels, numClasses, true, 64);
    }

    /**
     * A classifier scaled down in width, for small images and small weight files (a stream of a two-stream action
     * model): the stem and {@code layer1} have {@code width} channels and each later stage doubles it, then the
     * pooled features go through {@code fc}; names and strides are torchvision's.
     */
    public static ResNet classifier(Block block, int[] blocksPerStage, int inChannels, int numClasses, int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("ResNet: width " + width + " must be positive");
        }
        return new ResNet(block, blocksPerStage, 1, 64, inChannels, numClasses, true, width);
    }

    /** {@code layer4}'s feature map without pooling and classifier; it has 512·expansion channels at stride 32. */
    public static ResNet backbone(Block block, int[] blocksPerStage, int inChannels) {
        return new ResNet(block, blocksPerStage, 1, 64, inChannels, 0, false, 64);
    }

    /**
     * A backbone scaled down in width, for small images and small weight files (a detector's for 96×96
     * digits): the stem and {@code layer1} have {@code width} channels and each later stage doubles it
     * ({@code width}·{1, 2, 4, 8} planes, 64 being torchvision's); names and strides are unchanged.
     */
    public static ResNet backbone(Block block, int[] blocksPerStage, int inChannels, int width) {
        if (width <= 0) {
            throw new IllegalArgumentException("ResNet: width " + width + " must be positive");
        }
        return new ResNet(block, blocksPerStage, 1, 64, inChannels, 0, false, width);
    }

    /**
     * A backbone of {@code width} (as {@link #backbone(Block, int[], int, int)}) whose stages {@code layer2..layer4}
     * keep their input's resolution where {@code replaceStrideWithDilation} says so (as torchvision: from that stage
     * on, each 3×3 conv is dilated by the product of the strides replaced so far; the first block of a stage keeps
     * the previous dilation). {@code {false, true, true}} gives output stride 8, {@code {false, false, true}} 16.
     */
    public static ResNet backbone(Block block, int[] blocksPerStage, int inChannels, int width,
                                  boolean[] replaceStrideWithDilation) {
        if (width <= 0 || replaceStrideWithDilation.length != 3) {
            throw new IllegalArgumentException("ResNet: width " + width + ", dilation flags "
                    + Arrays.toString(replaceStrideWithDilation) + " (expected a positive width and 3 flags, for"
                    + " layer2..layer4)");
        }
        return new ResNet(block, blocksPerStage, 1, 64, inChannels, 0, false, width, replaceStrideWithDilation);
    }

    /**
     * @param block the residual unit
     * @param blocksPerStage how many units in each of the four stages, e.g. {2, 2, 2, 2} for ResNet-18
     * @param groups groups of the bottleneck's 3×3 conv (ResNeXt's cardinality; 1 for ResNet)
     * @param widthPerGroup channels per group at 64 planes (64 for ResNet, 4 for ResNeXt 32×4d)
     * @param inChannels image channels
     * @param numClasses classifier outputs
     */
    public ResNet(Block block, int[] blocksPerStage, int groups, int widthPerGroup, int inChannels, int numClasses) {
        this(block, blocksPerStage, groups, widthPerGroup, inChannels, numClasses, true, 64);
    }

    private ResNet(Block block, int[] blocksPerStage, int groups, int widthPerGroup, int inChannels, int numClasses,
                   boolean withHead, int width) {
        this(block, blocksPerStage, groups, widthPerGroup, inChannels, numClasses, withHead, width, new boolean[3]);
    }

    private ResNet(Block block, int[] blocksPerStage, int groups, int widthPerGroup, int inChannels, int numClasses,
                   boolean withHead, int width, boolean[] replaceStrideWithDilation) {
        if (blocksPerStage.length != 4 || inChannels <= 0 || (withHead && numClasses <= 0) || groups <= 0
                || widthPerGroup <= 0 || (block == Block.BASIC && (groups != 1 || widthPerGroup != 64))) {
            throw new IllegalArgumentException("ResNet: " + block + " blocks " + Arrays.toString(blocksPerStage)
                    + ", groups " + groups + ", width per group " + widthPerGroup + ", " + inChannels
                    + " input channels, " + numClasses + " classes (expected 4 stages, positive sizes, and groups 1"
                    + " with width 64 for basic blocks)");
        }
        for (int n : blocksPerStage) {
            if (n <= 0) {
                throw new IllegalArgumentException("ResNet: every stage needs at least one block, got "
                        + Arrays.toString(blocksPerStage));
            }
        }
        this.block = block;
        this.groups = groups;
        this.widthPerGroup = widthPerGroup;
        this.width = width;
        this.inplanes = width;
        conv1 = registerModule("conv1", new Conv2d(inChannels, width, 7, 2, 3, false));
        bn1 = registerModule("bn1", new BatchNorm2d(width));
        relu = registerModule("relu", new ReLU());
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1, false));
        int[] planes = {width, 2 * width, 4 * width, 8 * width};
        for (int i = 0; i < 4; i++) {
            boolean dilate = i > 0 && replaceStrideWithDilation[i - 1];
            layers[i] = registerModule("layer" + (i + 1),
                    makeLayer(planes[i], blocksPerStage[i], i == 0 ? 1 : 2, dilate));
        }
        if (withHead) {
            avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
            fc = registerModule("fc", new Linear(8 * width * block.expansion(), numClasses));
        } else {
            avgpool = null;
            fc = null;
        }
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d conv) {
                Init.kaimingNormal(conv.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, Init.defaultRandom());
            }
        }
    }

    private Sequential makeLayer(int planes, int blocks, int stride, boolean dilate) {
        Sequential layer = new Sequential();
        int out = planes * block.expansion();
        int previousDilation = dilation;
        if (dilate) {
            dilation *= stride;
            stride = 1;
        }
        Sequential downsample = null;
        if (stride != 1 || inplanes != out) {
            downsample = new Sequential(new Conv2d(inplanes, out, 1, stride, 0, false), new BatchNorm2d(out));
        }
        layer.add(unit(inplanes, planes, stride, downsample, previousDilation));
        inplanes = out;
        for (int i = 1; i < blocks; i++) {
            layer.add(unit(inplanes, planes, 1, null, dilation));
        }
        return layer;
    }

    private Module unit(int in, int planes, int stride, Sequential downsample, int dilation) {
        return block == Block.BASIC
                ? new ResNetBasicBlock(in, planes, stride, downsample, dilation)
                : new Bottleneck(in, planes, stride, downsample, groups, widthPerGroup, dilation);
    }

    /**
     * The stem alone ({@code conv1}, {@code bn1}, {@code relu}, {@code maxpool}: stride 4), for a network that
     * reads the stages' outputs one by one (a detector's feature pyramid).
     */
    public Tensor stem(Tensor x) {
        return maxpool.call(relu.call(bn1.call(conv1.call(x))));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = stem(x);
        for (Sequential layer : layers) {
            out = layer.call(out);
        }
        if (fc == null) {
            return out;
        }
        return fc.call(Ops.flatten(avgpool.call(out)));
    }

    /** Channels of {@code layer4}'s output: 512 for basic blocks, 2048 for bottlenecks (at torchvision's width). */
    public int featureChannels() {
        return stageChannels(4);
    }

    /** Channels of stage {@code i}'s output (1 to 4): width·2^(i−1)·expansion. */
    public int stageChannels(int i) {
        layer(i);
        return (width << (i - 1)) * block.expansion();
    }

    /** Stage {@code i} (1 to 4). */
    public Sequential layer(int i) {
        if (i < 1 || i > 4) {
            throw new IllegalArgumentException("ResNet: layer " + i + " does not exist (expected 1 to 4)");
        }
        return layers[i - 1];
    }

    /** The classifier, or null for a backbone. */
    public Linear fc() {
        return fc;
    }
}
