package org.legodnn.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.legodnn.nn.Module;
import org.legodnn.nn.data.Augment;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.optim.Optimizer;
import org.legodnn.nn.schedule.LrSchedule;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Metric;
import org.legodnn.nn.task.Score;
import org.legodnn.nn.task.Task;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.Workspace;

/**
 * Supervised training, the loop every model here is trained with: epochs of shuffled, augmented batches, the
 * task's loss (cross-entropy for classification), backward, an optimizer step (weight decay is the
 * optimizer's), the learning rate set from a schedule before every step or epoch; after each epoch the task's
 * metric on the test set (top-1 for classification) and a checkpoint. A run stopped at any epoch boundary and
 * {@link #resume resumed} from its checkpoint ends with the same weights as one that never stopped (on the
 * same number of threads, which fixes how parallel sums are grouped): data order, augmentation and the
 * schedule are functions of (seed, epoch, step), and the checkpoint carries the optimizer's momentum.
 */
public final class Trainer {

    /** Whether the schedule's {@code t} counts optimizer steps or epochs. */
    public enum ScheduleUnit { STEP, EPOCH }

    /**
     * What to train for and where to write.
     *
     * @param epochs        total epochs (a resumed run continues up to this)
     * @param batchSize     training batch size
     * @param seed          seeds the data order and augmentation (model initialization is the caller's)
     * @param augment       training augmentation, or null
     * @param normalize     input normalization (training and test), or null
     * @param schedule      the learning rate as a function of t, or null to keep the optimizer's
     * @param scheduleUnit  what t counts
     * @param evalBatchSize batch size for the test set
     * @param checkpoint    where to write the checkpoint after every epoch, or null
     * @param weights       where to write the model's weights after every epoch, or null
     * @param metadata      extra metadata for both files (model name, data set, hyper-parameters)
     */
    public record Options(int epochs, int batchSize, long seed, Augment augment, Normalize normalize,
                          LrSchedule schedule, ScheduleUnit scheduleUnit, int evalBatchSize, Path checkpoint,
                          Path weights, Map<String, String> metadata) {

        public Options {
            if (epochs <= 0 || batchSize <= 0 || evalBatchSize <= 0) {
                throw new IllegalArgumentException("Trainer: epochs " + epochs + ", batch size " + batchSize
                        + ", eval batch size " + evalBatchSize + " must be positive");
            }
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            scheduleUnit = scheduleUnit == null ? ScheduleUnit.STEP : scheduleUnit;
        }
    }

    private final Module model;
    private final Task task;
    private final Optimizer optimizer;
    private final Options options;
    private final Progress progress;
    /** Each step's activations and gradients, lent to the next step. */
    private final Workspace memory = new Workspace();
    private int startEpoch;

    /** A classifier's training: cross-entropy, top-1. */
    public Trainer(Module model, Optimizer optimizer, Options options, Progress progress) {
        this(model, Classification.TASK, optimizer, options, progress);
    }

    /** Training for {@code task}: its loss, and its metric on the training batches and the test set. */
    public Trainer(Module model, Task task, Optimizer optimizer, Options options, Progress progress) {
        this.model = model;
        this.task = task;
        this.optimizer = optimizer;
        this.options = options;
        this.progress = progress == null ? Progress.NONE : progress;
    }

    /**
     * Loads model weights, optimizer state and the epoch count from a checkpoint written by this class;
     * {@link #fit} then continues with the next epoch. Returns the epochs already done.
     */
    public int resume(Path checkpoint) throws IOException {
        Checkpoint.Contents c = Checkpoint.read(checkpoint);
        if (!c.resumable()) {
            throw new IOException(checkpoint + ": not a training checkpoint (no epoch count in its metadata; a weights file"
                    + " cannot resume a run, use the .ckpt.safetensors file written beside it)");
        }
        model.loadStateDict(c.model(), true);
        optimizer.loadStateDict(c.optimizer());
        startEpoch = c.epoch();
        return startEpoch;
    }

    /**
     * Optimizer steps per epoch for {@code samples} training images: one per batch, the last one possibly
     * smaller (as PyTorch's {@code DataLoader} without {@code drop_last}). A per-step schedule's length is
     * computed from it.
     */
    public static int stepsPerEpoch(int samples, int batchSize) {
        return (samples + batchSize - 1) / batchSize;
    }

    /** The first epoch {@link #fit} will run (0, or the epochs a resumed checkpoint had done). */
    public int startEpoch() {
        return startEpoch;
    }

    /**
     * Trains from {@link #startEpoch()} to {@code options.epochs()}, evaluating on {@code test} (may be null)
     * and writing the checkpoint and weights after every epoch. Returns one result per epoch run.
     */
    public List<EpochResult> fit(Dataset train, Dataset test) throws IOException {
        task.check(train, "the training set");
        if (test != null) {
            task.check(test, "the test set");
        }
        List<EpochResult> results = new ArrayList<>();
        DataLoader.Settings settings = DataLoader.Settings.training(options.batchSize(), options.seed(),
                options.augment(), options.normalize());
        try (DataLoader loader = new DataLoader(train, settings)) {
            int steps = loader.batches();
            for (int e = startEpoch; e < options.epochs(); e++) {
                EpochResult r = epoch(loader, e, steps, test);
                results.add(r);
                save(r);
                progress.epochEnd(r);
            }
        }
        startEpoch = options.epochs();
        return results;
    }

    private EpochResult epoch(DataLoader loader, int e, int steps, Dataset test) {
        model.train();
        int samples = loader.samplesPerEpoch();
        progress.epochStart(e, options.epochs(), steps, samples);
        long start = System.nanoTime();
        double lossSum = 0;
        Metric trainMetric = task.newMetric(loader.dataset().classes());
        int seen = 0;
        try (DataLoader.Epoch batches = loader.epoch(e)) {
            int i = 0;
            while (batches.hasNext()) {
                Batch b = batches.next();
                if (options.schedule() != null) {
                    int t = options.scheduleUnit() == ScheduleUnit.STEP ? e * steps + i : e;
                    options.schedule().apply(optimizer, t);
                }
                float value;
                try (Workspace.Scope step = memory.open()) {
                    optimizer.zeroGrad();
                    Tensor logits = model.forward(b.images());
                    Tensor loss = task.loss(logits, b);
                    loss.backward();
                    optimizer.step();
                    value = loss.item();
                    trainMetric.add(task.decode(logits), b.targets());
                }
                if (!Float.isFinite(value)) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "training diverged: loss %s at epoch %d,"
                            + " step %d (learning rate %g); lower --lr", value, e + 1, i + 1, optimizer.lr()));
                }
                lossSum += (double) value * b.size();
                seen += b.size();
                i++;
                progress.step(i, seen, lossSum / seen, trainMetric.value());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double testAccuracy = Double.NaN;
        int testSamples = 0;
        if (test != null && test.size() > 0) {
            progress.evaluating();
            Score r = Evaluator.evaluate(task, model, test, options.normalize(), options.evalBatchSize());
            testAccuracy = r.value();
            testSamples = r.samples();
        }
        return new EpochResult(e, options.epochs(), lossSum / Math.max(1, seen), trainMetric.value(),
                testAccuracy, testSamples, optimizer.lr(), seconds, seen / Math.max(seconds, 1e-9));
    }

    private void save(EpochResult r) throws IOException {
        if (options.checkpoint() == null && options.weights() == null) {
            return;
        }
        Map<String, String> meta = new LinkedHashMap<>(options.metadata());
        meta.put(Checkpoint.EPOCH, Integer.toString(r.epoch() + 1));
        meta.put("epochs", Integer.toString(options.epochs()));
        meta.put("train_loss", Double.toString(r.loss()));
        meta.put("train_" + task.metadataKey(), Double.toString(r.trainAccuracy()));
        if (r.testSamples() > 0) {
            meta.put("test_" + task.metadataKey(), Double.toString(r.testAccuracy()));
            meta.put("test_samples", Integer.toString(r.testSamples()));
        }
        if (options.normalize() != null) {
            meta.put("normalize_mean", options.normalize().meanString());
            meta.put("normalize_std", options.normalize().stdString());
        }
        if (options.checkpoint() != null) {
            Checkpoint.write(options.checkpoint(), model, optimizer, meta);
        }
        if (options.weights() != null) {
            Checkpoint.writeWeights(options.weights(), model, meta);
        }
    }
}
