package org.legodnn.nn.models;

import java.util.Random;
import org.legodnn.nn.BatchNorm2d;
import org.legodnn.nn.Conv2d;
import org.legodnn.nn.ConvTranspose2d;
import org.legodnn.nn.Init;
import org.legodnn.nn.LeakyReLU;
import org.legodnn.nn.Module;
import org.legodnn.nn.ReLU;
import org.legodnn.nn.Sequential;
import org.legodnn.nn.Tanh;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * GANomaly's generator (Akcay et al., ACCV 2018), the anomaly detector the original LegoDNN scales: an encoder maps
 * an image to a latent code {@code z}, a decoder reconstructs the image from it, and a second encoder maps the
 * reconstruction to {@code ẑ}. Trained on normal images only (with {@link GanomalyDiscriminator}, see
 * {@code GanomalyTrainer}), it reconstructs normal images faithfully and anomalies badly, so the latent distance
 * {@code mean((z − ẑ)²)} is the anomaly score — which is what {@link #forward} returns, {@code [N, 1]}.
 *
 * <p>The encoders and decoder are DCGAN's, sized for 28×28 digits and clothes: 4×4 stride-2 convolutions (28 → 14
 * → 7, LeakyReLU 0.2, BatchNorm after the second) and a 7×7 convolution to the code; the decoder mirrors them with
 * transposed convolutions, BatchNorm and ReLU, ending in tanh (images normalized to [−1, 1]). No biases, DCGAN's
 * initialization (weights N(0, 0.02), BatchNorm scales N(1, 0.02)). Names as GANomaly's {@code NetG}:
 * {@code encoder1}, {@code decoder}, {@code encoder2}, each a {@code Sequential}.
 *
 * <p>{@code ganomaly}: width 32 (32, 64 channels) and a 64-dimensional code, 2.8 MB of weights.
 */
public final class Ganomaly extends Module {

    /** The image side the encoders are sized for. */
    public static final int SIZE = 28;
    /** Channels of the first encoder layer of {@code ganomaly} (the second has twice as many). */
    public static final int DEFAULT_WIDTH = 32;
    /** The latent code's size of {@code ganomaly}. */
    public static final int DEFAULT_LATENT = 64;
    /** The encoders' LeakyReLU slope, as DCGAN's. */
    static final float SLOPE = 0.2f;

    private final int channels;
    private final int latent;
    private final Sequential encoder1;
    private final Sequential decoder;
    private final Sequential encoder2;

    /** What one pass through the generator gives: the code, the reconstruction and the reconstruction's code. */
    public record Pass(Tensor latent, Tensor reconstruction, Tensor reconstructedLatent) {
    }

    /** {@code ganomaly} for images of {@code channels} channels (the class count is not used: the score is one number). */
    public static Ganomaly ganomaly(int channels, int unusedClasses) {
        return new Ganomaly(channels, DEFAULT_WIDTH, DEFAULT_LATENT);
    }

    public Ganomaly(int channels, int width, int latent) {
        if (channels <= 0 || width <= 0 || latent <= 0) {
            throw new IllegalArgumentException("GANomaly: " + channels + " channels, width " + width + ", latent "
                    + latent + " (expected positive sizes)");
        }
        this.channels = channels;
        this.latent = latent;
        Random rnd = Init.defaultRandom();
        this.encoder1 = registerModule("encoder1", encoder(channels, width, latent));
        this.decoder = registerModule("decoder", new Sequential(
                new ConvTranspose2d(latent, 2 * width, SIZE / 4, 1, 0, 0, 1, 1, false, rnd), new BatchNorm2d(2 * width),
                new ReLU(),
                new ConvTranspose2d(2 * width, width, 4, 2, 1, 0, 1, 1, false, rnd), new BatchNorm2d(width), new ReLU(),
                new ConvTranspose2d(width, channels, 4, 2, 1, 0, 1, 1, false, rnd), new Tanh()));
        this.encoder2 = registerModule("encoder2", encoder(channels, width, latent));
        initialize(this);
    }

    /** DCGAN's encoder for 28×28 images: {@code [N, channels, 28, 28] → [N, out, 1, 1]}. */
    static Sequential encoder(int channels, int width, int out) {
        return new Sequential(
                new Conv2d(channels, width, 4, 2, 1, false), new LeakyReLU(SLOPE),
                new Conv2d(width, 2 * width, 4, 2, 1, false), new BatchNorm2d(2 * width), new LeakyReLU(SLOPE),
                new Conv2d(2 * width, out, SIZE / 4, 1, 0, false));
    }

    /** DCGAN's initialization: convolution weights N(0, 0.02), BatchNorm scales N(1, 0.02) and shifts 0. */
    static void initialize(Module net) {
        Random rnd = Init.defaultRandom();
        for (Module m : net.namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.normal(c.weight(), 0, 0.02, rnd);
            } else if (m instanceof ConvTranspose2d c) {
                Init.normal(c.weight(), 0, 0.02, rnd);
            } else if (m instanceof BatchNorm2d bn) {
                Init.normal(bn.weight(), 1, 0.02, rnd);
                Init.constant(bn.bias(), 0f);
            }
        }
    }

    /** Encodes, reconstructs and encodes again: what training needs of one batch. */
    public Pass pass(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels || x.dim(2) != SIZE || x.dim(3) != SIZE) {
            throw new IllegalArgumentException("GANomaly: expected images [N, " + channels + ", " + SIZE + ", " + SIZE
                    + "], got " + Shapes.format(x.shape()));
        }
        Tensor z = encoder1.call(x);
        Tensor reconstruction = decoder.call(z);
        return new Pass(z, reconstruction, encoder2.call(reconstruction));
    }

    /** The anomaly score of each image, {@code [N, 1]}: the mean squared distance between its two codes. */
    @Override
    public Tensor forward(Tensor x) {
        Pass p = pass(x);
        return score(p.latent(), p.reconstructedLatent());
    }

    /** {@code mean((z − ẑ)²)} over the code of each image, {@code [N, 1]}, in ops that trace and export. */
    public static Tensor score(Tensor z, Tensor zHat) {
        Tensor d = Ops.sub(z, zHat);
        Tensor squared = Ops.mul(d, d);                                       // [N, latent, 1, 1]
        Tensor asPlane = Ops.reshape(squared, -1, 1, z.dim(1), 1);            // one channel, the code along H
        return Ops.flatten(Ops.globalAvgPool(asPlane));
    }

    /** The size of the latent code. */
    public int latent() {
        return latent;
    }
}
