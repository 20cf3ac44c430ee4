package org.legodnn.nn.models;

import java.util.Arrays;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.Dropout;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.ModuleList;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * Atrous spatial pyramid pooling (Chen et al., DeepLabV3), so that one feature map is seen at several fields
 * of view at once; torchvision's {@code ASPP} with its names. Parallel branches in {@code convs}: a 1×1 conv,
 * one 3×3 conv per atrous rate (dilation = padding = rate), and image pooling ({@link AsppPooling}), each
 * with BN and ReLU and {@code outChannels} outputs; their concatenation goes through {@code project} (1×1
 * conv, BN, ReLU, Dropout(0.5)).
 */
public final class Aspp extends Module {

    private final ModuleList convs;
    private final Sequential project;

    /** @param atrousRates dilation of each 3×3 branch (torchvision's DeepLabV3 uses 12, 24, 36) */
    public Aspp(int inChannels, int[] atrousRates, int outChannels) {
        if (inChannels <= 0 || outChannels <= 0 || atrousRates.length == 0
                || Arrays.stream(atrousRates).anyMatch(r -> r <= 0)) {
            throw new IllegalArgumentException("Aspp: " + inChannels + " input channels, rates "
                    + Arrays.toString(atrousRates) + ", " + outChannels + " output channels (expected positive sizes"
                    + " and at least one positive rate)");
        }
        convs = registerModule("convs", new ModuleList());
        convs.add(new Sequential(new Conv2d(inChannels, outChannels, 1, 1, 0, false), new BatchNorm2d(outChannels),
                new ReLU()));
        for (int rate : atrousRates) {
            convs.add(new Sequential(new Conv2d(inChannels, outChannels, 3, 1, rate, rate, 1, false,
                    Init.defaultRandom()), new BatchNorm2d(outChannels), new ReLU()));
        }
        convs.add(new AsppPooling(inChannels, outChannels));
        int branches = convs.size();
        project = registerModule("project", new Sequential(new Conv2d(branches * outChannels, outChannels, 1, 1, 0,
                false), new BatchNorm2d(outChannels), new ReLU(), new Dropout(0.5f)));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor[] branches = new Tensor[convs.size()];
        for (int i = 0; i < branches.length; i++) {
            branches[i] = convs.get(i).call(x);
        }
        return project.call(Ops.concat(branches));
    }
}
