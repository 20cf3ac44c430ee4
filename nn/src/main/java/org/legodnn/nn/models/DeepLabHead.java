package org.legodnn.nn.models;

import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;

/**
 * DeepLabV3's classifier, which turns backbone features into per-pixel class scores at the features'
 * resolution; torchvision's {@code DeepLabHead} with its names: {@code 0} = {@link Aspp}, {@code 1..3} = a 3×3
 * conv (no bias), BN and ReLU at the ASPP's width, {@code 4} = a 1×1 conv with bias to the classes.
 * torchvision fixes the width at 256 and the rates at 12, 24, 36; here both are parameters, so a small
 * model on small images can have both scaled down.
 */
public final class DeepLabHead extends Sequential {

    public DeepLabHead(int inChannels, int numClasses, int[] atrousRates, int width) {
        super(aspp(inChannels, numClasses, atrousRates, width), new Conv2d(width, width, 3, 1, 1, false),
                new BatchNorm2d(width), new ReLU(), new Conv2d(width, numClasses, 1, 1, 0, true));
    }

    /** The ASPP, once the class count is known to be valid (checked before any layer is built). */
    private static Aspp aspp(int inChannels, int numClasses, int[] atrousRates, int width) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("DeepLabHead: " + numClasses + " classes (expected positive)");
        }
        return new Aspp(inChannels, atrousRates, width);
    }
}
