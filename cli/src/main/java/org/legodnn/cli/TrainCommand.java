package org.legodnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.data.Augment;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.models.Ganomaly;
import org.legodnn.nn.models.GanomalyDiscriminator;
import org.legodnn.nn.optim.SGD;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.nn.train.EpochResult;
import org.legodnn.nn.train.GanomalyTrainer;
import org.legodnn.nn.train.ProgressBar;
import org.legodnn.nn.train.Trainer;
import org.legodnn.nn.task.AnomalyDetection;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Trains a classifier on a named data set with SGD and momentum, the recipe of He et al.'s CIFAR ResNets,
 * writing the weights (PyTorch names, loadable by PyTorch) and a resumable checkpoint after every epoch.
 * This is how the project's default teacher is made. As every long command, it shows its progress (the
 * run's settings, the bar and one line per epoch) on standard error; standard output carries only the result:
 * the final accuracy and where the weights went.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on a data set (SGD with momentum, cross-entropy, top-1 on the test split after"
                + " every epoch; with --task segmentation per-pixel cross-entropy and mIoU; with --task detection the"
                + " YOLOv3 loss and mAP50; with --task anomaly GANomaly's adversarial training, Adam, and AUROC).",
            "Writes the weights to --out and a resumable checkpoint beside it (NAME.ckpt.safetensors) after every epoch."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "Model to train, e.g. cifar_resnet20 (any cifar_resnet<6n+2>, or a model-zoo name).")
    private String model;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "fashion-mnist, mnist, cifar10, cifar100 or folder (folder and cifar need --data);"
                    + " fashion-mnist-seg for --task segmentation, mnist-det for --task detection (each task's default).")
    private String dataset;

    @Mixin
    private TaskOption taskOption;

    @Option(names = "--epochs", required = true, paramLabel = "N", description = "Total epochs (a resumed run continues up to N).")
    private int epochs;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Weights file to write (safetensors).")
    private Path out;

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch = 128;

    @Option(names = "--lr", paramLabel = "LR", description = "Initial learning rate (default: ${DEFAULT-VALUE}).")
    private double lr = 0.1;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    private double momentum = 0.9;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "5e-4",
            description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    private double weightDecay;

    @Option(names = "--schedule", paramLabel = "S",
            description = "cosine (per step, to 0 at the end), step (x0.1 every third of the epochs) or none"
                    + " (default: ${DEFAULT-VALUE}).")
    private String schedule = "cosine";

    @Option(names = "--augment", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Random crop with zero padding and (except for digits) horizontal flips (default: on).")
    private boolean augment;

    @Option(names = "--resume", paramLabel = "CKPT", description = "Continue from a checkpoint written by train.")
    private Path resume;

    @Option(names = "--init", paramLabel = "W", description = "Start from these weights (safetensors written by train,"
            + " PyTorch names) with a fresh optimizer and schedule: fine-tuning, or more epochs on other data.")
    private Path init;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds initialization, data order and augmentation"
            + " (default: ${DEFAULT-VALUE}).")
    private long seed = 1;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    private Integer threads;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the data set's files"
            + " (default: $LEGODNN_DATA, installed packages, then the subset shipped with legodnn).")
    private Path data;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images (quick runs).")
    private Integer limit;

    @Option(names = "--test-limit", paramLabel = "N", description = "Evaluate on only the first N test images.")
    private Integer testLimit;

    @Override
    public Integer call() throws Exception {
        Task task = taskOption.task(spec);
        dataset = taskOption.dataset(dataset, spec);
        validate();
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        DataCatalog.Source source = DataCatalog.open(dataset, data, System.err);
        Dataset train = source.train().load();
        Dataset test = source.test().load();
        if (limit != null) {
            train = train.first(limit);
        }
        if (testLimit != null) {
            test = test.first(testLimit);
        }

        Init.manualSeed(seed);
        if (task == AnomalyDetection.TASK) {
            return trainGanomaly(source, train, test);
        }
        Module net = ModelNames.create(model, train.channels(), train.classes());
        if (init != null) {
            net.loadStateDict(Checkpoint.read(init).model(), true);
        }
        SGD sgd = new SGD(net.parameters(), lr, momentum, weightDecay, false);
        int steps = Trainer.stepsPerEpoch(train.size(), batch);
        LrScheduleChoice lrSchedule = LrScheduleChoice.of(schedule, lr, epochs, steps);
        Augment aug = augment ? source.augment() : Augment.NONE;

        Map<String, String> meta = modelAndData(taskOption.given() ? task : null, source, train);
        meta.put("batch", Integer.toString(batch));
        meta.put("lr", Double.toString(lr));
        meta.put("momentum", Double.toString(momentum));
        meta.put("weight_decay", Double.toString(weightDecay));
        meta.put("schedule", schedule);
        meta.put("augment", aug.isIdentity() ? "none" : "crop " + aug.padding() + (aug.flip() ? ", flip" : ""));
        meta.put("seed", Long.toString(seed));
        if (init != null) {
            meta.put("init", init.getFileName().toString());
        }
        meta.put("legodnn_version", VersionCommand.projectVersion());

        Path checkpoint = Checkpoint.beside(out);
        Trainer trainer = new Trainer(net, task, sgd, new Trainer.Options(epochs, batch, seed, aug, source.normalize(),
                lrSchedule.schedule(), lrSchedule.unit(), 256, checkpoint, out, meta), ProgressBar.forStderr(task == Classification.TASK ? "acc" : task.metricLabel()));
        if (resume != null) {
            checkResumable(resume);
            int done = trainer.resume(resume);
            System.err.println("resuming from " + resume + " after epoch " + done + " of " + epochs);
        }
        System.err.printf(Locale.ROOT, "training %s (%,d parameters) on %s: %d images %dx%dx%d, %d classes; batch %d,"
                        + " %d steps/epoch, %d epoch%s; SGD lr %s momentum %s weight decay %s, schedule %s, augment %s;"
                        + " %d threads%n",
                model, net.parameterCount(), dataset, train.size(), train.channels(), train.height(), train.width(),
                train.classes(), batch, steps, epochs, epochs == 1 ? "" : "s", num(lr), num(momentum), num(weightDecay),
                schedule, meta.get("augment"), Parallel.threads());
        long start = System.nanoTime();
        List<EpochResult> results = trainer.fit(train, test);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (results.isEmpty()) {
            System.out.println("nothing to do: the checkpoint has already done " + epochs + " epochs");
            return 0;
        }
        EpochResult last = results.get(results.size() - 1);
        double trainSeconds = 0;
        long images = 0;
        for (EpochResult r : results) {
            trainSeconds += r.seconds();
            images += Math.round(r.imagesPerSecond() * r.seconds());
        }
        System.out.printf(Locale.ROOT, "done: %d epoch%s in %s (%.0f training images/s); test %s %.2f%% on %d images;"
                        + " wrote %s and %s%n", results.size(), results.size() == 1 ? "" : "s", wall(seconds),
                images / trainSeconds, task.metricLabel(),
                100 * last.testAccuracy(), last.testSamples(), out, checkpoint);
        return 0;
    }

    /**
     * GANomaly's adversarial training ({@link GanomalyTrainer}): Adam at {@code --lr} (2e-4 unless given) for the
     * generator and its discriminator, batches of {@code --batch} (64 unless given); the generator's weights go to
     * {@code --out} after every epoch with its test AUROC.
     */
    private int trainGanomaly(DataCatalog.Source source, Dataset train, Dataset test) throws java.io.IOException {
        if (!model.equals("ganomaly")) {
            throw usage("--task anomaly trains the GANomaly generator with its discriminator: use --model ganomaly, not "
                    + model);
        }
        if (resume != null || init != null) {
            throw usage("--task anomaly: --resume and --init are not supported (GANomaly trains from scratch)");
        }
        var parsed = spec.commandLine().getParseResult();
        double adamLr = parsed.hasMatchedOption("--lr") ? lr : 2e-4;
        int batchSize = parsed.hasMatchedOption("--batch") ? batch : 64;
        Ganomaly generator = Ganomaly.ganomaly(train.channels(), train.classes());
        GanomalyDiscriminator discriminator = new GanomalyDiscriminator(train.channels(), Ganomaly.DEFAULT_WIDTH);
        Map<String, String> meta = modelAndData(AnomalyDetection.TASK, source, train);
        meta.put("batch", Integer.toString(batchSize));
        meta.put("lr", Double.toString(adamLr));
        meta.put("optimizer", "adam betas 0.5,0.999");
        meta.put("loss_weights", GanomalyTrainer.W_ADV + "," + GanomalyTrainer.W_CON + "," + GanomalyTrainer.W_ENC);
        meta.put("seed", Long.toString(seed));
        meta.put("legodnn_version", VersionCommand.projectVersion());
        GanomalyTrainer trainer = new GanomalyTrainer(generator, discriminator, new GanomalyTrainer.Options(epochs,
                batchSize, adamLr, seed, source.normalize(), 256, out, meta), ProgressBar.forStderr("AUROC"));
        System.err.printf(Locale.ROOT, "training ganomaly (%,d generator and %,d discriminator parameters) on %s: %d"
                        + " normal images %dx%dx%d; batch %d, %d epoch%s; Adam lr %s betas 0.5, 0.999; loss weights"
                        + " adversarial %s, contextual %s, encoder %s; %d threads%n",
                generator.parameterCount(), discriminator.parameterCount(), dataset, train.size(), train.channels(),
                train.height(), train.width(), batchSize, epochs, epochs == 1 ? "" : "s", num(adamLr),
                num(GanomalyTrainer.W_ADV), num(GanomalyTrainer.W_CON), num(GanomalyTrainer.W_ENC), Parallel.threads());
        long start = System.nanoTime();
        List<EpochResult> results = trainer.fit(train, test);
        EpochResult last = results.get(results.size() - 1);
        System.out.printf(Locale.ROOT, "done: %d epoch%s in %s; test AUROC %.4f on %d images; discriminator drawn"
                        + " afresh %d times; wrote %s%n", results.size(), results.size() == 1 ? "" : "s",
                wall((System.nanoTime() - start) / 1e9), last.testAccuracy(), last.testSamples(),
                trainer.discriminatorResets(), out);
        return 0;
    }

    /** The weights file's metadata that says what was trained on what ({@code task} null: not recorded). */
    private Map<String, String> modelAndData(Task task, DataCatalog.Source source, Dataset train) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", model);
        if (task != null) {
            meta.put("task", task.name());
        }
        meta.put("dataset", dataset);
        meta.put("data_source", source.full() ? "full" : "shipped subset");
        meta.put("in_channels", Integer.toString(train.channels()));
        meta.put("classes", Integer.toString(train.classes()));
        meta.put("image_size", train.height() + "x" + train.width());
        meta.put("train_images", Integer.toString(train.size()));
        return meta;
    }

    private void validate() {
        if (!ModelNames.known(model)) {
            throw usage("--model: unknown model '" + model + "' (" + ModelNames.describe() + ")");
        }
        if (epochs <= 0) {
            throw usage("--epochs must be positive, got " + epochs);
        }
        if (batch <= 0) {
            throw usage("--batch must be positive, got " + batch);
        }
        if (!(lr > 0) || !(momentum >= 0) || !(weightDecay >= 0)) {
            throw usage("--lr must be > 0, --momentum and --weight-decay >= 0 (got " + lr + ", " + momentum + ", "
                    + weightDecay + ")");
        }
        if (!LrScheduleChoice.NAMES.contains(schedule)) {
            throw usage("--schedule must be cosine, step or none, got '" + schedule + "'");
        }
        if (threads != null && threads <= 0) {
            throw usage("--threads must be positive, got " + threads);
        }
        if (limit != null && limit <= 0 || testLimit != null && testLimit <= 0) {
            throw usage("--limit and --test-limit must be positive");
        }
        if (resume != null && !Files.isRegularFile(resume)) {
            throw usage("--resume: no such file " + resume);
        }
        if (init != null && !Files.isRegularFile(init)) {
            throw usage("--init: no such file " + init);
        }
        if (init != null && resume != null) {
            throw usage("--init and --resume exclude each other: a checkpoint already holds its weights");
        }
    }

    private void checkResumable(Path ckpt) throws java.io.IOException {
        Map<String, String> meta = org.legodnn.tensor.io.SafetensorsFile.open(ckpt).metadata();
        String was = meta.get("model");
        if (was != null && !was.equals(model)) {
            throw new IllegalStateException(ckpt + " is a checkpoint of " + was + ", not of " + model);
        }
        String ds = meta.get("dataset");
        if (ds != null && !ds.equals(dataset)) {
            throw new IllegalStateException(ckpt + " was trained on " + ds + ", not on " + dataset);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** 0.0005 rather than 5.0E-4. */
    private static String num(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** "12.3 s", "4m05s", "2h03m10s". */
    private static String wall(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s / 60) % 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
