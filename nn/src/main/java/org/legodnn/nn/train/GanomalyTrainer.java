package org.legodnn.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.legodnn.nn.data.Augment;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.models.Ganomaly;
import org.legodnn.nn.models.GanomalyDiscriminator;
import org.legodnn.nn.optim.Adam;
import org.legodnn.nn.task.AnomalyDetection;
import org.legodnn.nn.task.Score;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * GANomaly's adversarial training, which a single supervised loss cannot express: for every batch of normal
 * images the generator takes one Adam step on {@code w_adv·L_adv + w_con·L_con + w_enc·L_enc} — the discriminator's
 * features of the reconstruction against those of the image (squared error), the reconstruction against the image
 * (absolute error, which keeps it sharp), the reconstruction's code against the image's (squared error) — then the
 * discriminator takes one Adam step on the mean of its binary cross-entropies on the image (real) and the
 * reconstruction (fake); a discriminator that wins outright (loss below 1e-5) is drawn afresh. Weights 1, 50, 1 and
 * Adam (lr 2e-4, betas 0.5, 0.999), as the GANomaly paper. After every epoch the generator's AUROC on the test set
 * and its weights are written.
 */
public final class GanomalyTrainer {

    /** The loss weights of the GANomaly paper: adversarial, contextual, encoder. */
    public static final double W_ADV = 1;
    public static final double W_CON = 50;
    public static final double W_ENC = 1;
    /** Below this the discriminator has won and is drawn afresh. */
    static final double DISCRIMINATOR_RESET = 1e-5;

    /**
     * @param epochs        epochs over the normal images
     * @param batchSize     training batch size
     * @param lr            Adam's learning rate for both networks
     * @param seed          seeds the data order
     * @param normalize     input normalization (training and test)
     * @param evalBatchSize batch size for the test set
     * @param weights       where to write the generator's weights after every epoch, or null
     * @param metadata      extra metadata for the weights file
     */
    public record Options(int epochs, int batchSize, double lr, long seed, Normalize normalize, int evalBatchSize,
                          Path weights, Map<String, String> metadata) {

        public Options {
            if (epochs <= 0 || batchSize <= 0 || evalBatchSize <= 0 || !(lr > 0)) {
                throw new IllegalArgumentException("GanomalyTrainer: epochs " + epochs + ", batch size " + batchSize
                        + ", eval batch size " + evalBatchSize + ", lr " + lr + " must be positive");
            }
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }
    }

    private final Ganomaly generator;
    private final GanomalyDiscriminator discriminator;
    private final Options options;
    private final Progress progress;
    private final Adam generatorAdam;
    private final Adam discriminatorAdam;
    private int resets;

    public GanomalyTrainer(Ganomaly generator, GanomalyDiscriminator discriminator, Options options, Progress progress) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.options = options;
        this.progress = progress == null ? Progress.NONE : progress;
        this.generatorAdam = new Adam(generator.parameters(), options.lr(), 0.5, 0.999, 1e-8, 0);
        this.discriminatorAdam = new Adam(discriminator.parameters(), options.lr(), 0.5, 0.999, 1e-8, 0);
    }

    /** Times the discriminator was drawn afresh so far. */
    public int discriminatorResets() {
        return resets;
    }

    /** Trains on {@code train} (normal images), scoring AUROC on {@code test} (may be null) after every epoch. */
    public List<EpochResult> fit(Dataset train, Dataset test) throws IOException {
        AnomalyDetection.TASK.check(train, "the training set");
        List<EpochResult> results = new ArrayList<>();
        DataLoader.Settings settings = DataLoader.Settings.training(options.batchSize(), options.seed(), Augment.NONE,
                options.normalize());
        try (DataLoader loader = new DataLoader(train, settings)) {
            for (int e = 0; e < options.epochs(); e++) {
                EpochResult r = epoch(loader, e, test);
                results.add(r);
                save(r);
                progress.epochEnd(r);
            }
        }
        return results;
    }

    private EpochResult epoch(DataLoader loader, int e, Dataset test) {
        generator.train();
        discriminator.train();
        progress.epochStart(e, options.epochs(), loader.batches(), loader.samplesPerEpoch());
        long start = System.nanoTime();
        double lossSum = 0;
        int seen = 0;
        try (DataLoader.Epoch batches = loader.epoch(e)) {
            int i = 0;
            while (batches.hasNext()) {
                Batch b = batches.next();
                float loss = step(b.images());
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "GANomaly training diverged: generator"
                            + " loss %s at epoch %d, step %d; lower --lr", loss, e + 1, i + 1));
                }
                lossSum += (double) loss * b.size();
                seen += b.size();
                i++;
                progress.step(i, seen, lossSum / seen, Double.NaN);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double auroc = Double.NaN;
        int testSamples = 0;
        if (test != null && test.size() > 0) {
            progress.evaluating();
            Score s = Evaluator.evaluate(AnomalyDetection.TASK, generator, test, options.normalize(),
                    options.evalBatchSize());
            auroc = s.value();
            testSamples = s.samples();
        }
        return new EpochResult(e, options.epochs(), lossSum / Math.max(1, seen), Double.NaN, auroc, testSamples,
                options.lr(), seconds, seen / Math.max(seconds, 1e-9));
    }

    /** One generator step and one discriminator step on {@code x}; returns the generator's loss. */
    float step(Tensor x) {
        Ganomaly.Pass p = generator.pass(x);
        Tensor realFeatures;
        try (var constant = Autograd.noGrad()) { // a target: no graph to build behind it
            realFeatures = discriminator.features(x);
        }
        Tensor adversarial = Ops.mse(discriminator.features(p.reconstruction()), realFeatures);
        Tensor contextual = Ops.l1(p.reconstruction(), x);
        Tensor encoder = Ops.mse(p.reconstructedLatent(), p.latent());
        Tensor generatorLoss = Ops.add(Ops.add(Ops.scale(adversarial, (float) W_ADV), Ops.scale(contextual,
                (float) W_CON)), Ops.scale(encoder, (float) W_ENC));
        generatorAdam.zeroGrad();
        generatorLoss.backward();
        generatorAdam.step();

        int n = x.dim(0);
        Tensor real = discriminator.forward(x);
        Tensor fake = discriminator.forward(p.reconstruction().detach());
        Tensor mean = filled(n, 1f / n);
        Tensor discriminatorLoss = Ops.scale(Ops.add(Ops.bceWithLogitsSum(real, filled(n, 1f), mean),
                Ops.bceWithLogitsSum(fake, filled(n, 0f), mean)), 0.5f);
        discriminatorAdam.zeroGrad();
        discriminatorLoss.backward();
        discriminatorAdam.step();
        if (discriminatorLoss.item() < DISCRIMINATOR_RESET) {
            discriminator.reinitialize();
            resets++;
        }
        return generatorLoss.item();
    }

    private static Tensor filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return Tensor.of(v, n, 1);
    }

    private void save(EpochResult r) throws IOException {
        if (options.weights() == null) {
            return;
        }
        Map<String, String> meta = new LinkedHashMap<>(options.metadata());
        meta.put(Checkpoint.EPOCH, Integer.toString(r.epoch() + 1));
        meta.put("epochs", Integer.toString(options.epochs()));
        meta.put("train_loss", Double.toString(r.loss()));
        meta.put("discriminator_resets", Integer.toString(resets));
        if (r.testSamples() > 0) {
            meta.put("test_" + AnomalyDetection.TASK.metadataKey(), Double.toString(r.testAccuracy()));
            meta.put("test_samples", Integer.toString(r.testSamples()));
        }
        if (options.normalize() != null) {
            meta.put("normalize_mean", options.normalize().meanString());
            meta.put("normalize_std", options.normalize().stdString());
        }
        Checkpoint.writeWeights(options.weights(), generator, meta);
    }
}
