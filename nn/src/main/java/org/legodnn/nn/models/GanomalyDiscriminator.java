package org.legodnn.nn.models;

import java.util.Arrays;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Module;
import org.legodnn.nn.Sequential;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * GANomaly's discriminator ({@code NetD}): the generator's encoder with one output, split where GANomaly splits it —
 * {@code features} (all but the last convolution, {@code [N, 2·width, 7, 7]}), which the generator's adversarial
 * loss matches between real and reconstructed images, and {@code classifier} (the 7×7 convolution), whose logit says
 * "real". Only training uses it; the shipped model is the generator.
 */
public final class GanomalyDiscriminator extends Module {

    private final Sequential features;
    private final Sequential classifier;

    /** The discriminator that trains {@code ganomaly}'s generator. */
    public GanomalyDiscriminator(int channels, int width) {
        Sequential encoder = Ganomaly.encoder(channels, width, 1);
        Sequential head = new Sequential();
        for (int i = 0; i < encoder.size() - 1; i++) {
            head.add(encoder.get(i));
        }
        this.features = registerModule("features", head);
        this.classifier = registerModule("classifier", new Sequential(encoder.get(encoder.size() - 1)));
        Ganomaly.initialize(this);
    }

    /** The features the adversarial loss compares. */
    public Tensor features(Tensor x) {
        return features.call(x);
    }

    /** The "real" logit of each image from its features, {@code [N, 1]}. */
    public Tensor logits(Tensor features) {
        return Ops.flatten(classifier.call(features));
    }

    @Override
    public Tensor forward(Tensor x) {
        return logits(features(x));
    }

    /** Draws fresh weights, as GANomaly does when the discriminator wins outright (its loss below 1e-5). */
    public void reinitialize() {
        for (Module m : namedModules().values()) {
            if (m instanceof BatchNorm2d bn) {
                Arrays.fill(bn.runningMean().data(), 0f);
                Arrays.fill(bn.runningVar().data(), 1f);
            }
        }
        Ganomaly.initialize(this);
    }
}
