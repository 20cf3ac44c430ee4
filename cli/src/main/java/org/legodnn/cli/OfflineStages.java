package org.legodnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.latency.LatencyProfiler;
import org.legodnn.core.offline.BlockProfile;
import org.legodnn.core.offline.Int8Variants;
import org.legodnn.core.offline.Profiler;
import org.legodnn.core.offline.Profiles;
import org.legodnn.core.offline.RetrainOptions;
import org.legodnn.core.offline.Retrainer;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.core.offline.StoreTask;
import org.legodnn.core.prune.BlockOptions;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.Precision;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.task.Classification;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.train.TaskProgress;

/**
 * The offline stages as the commands run them — extract, retrain, int8 variants, profile — each taking and returning the
 * store's contents, so {@code offline} chains them in memory and {@code extract|retrain|profile} run one each
 * over a store directory. The stages report to a {@link TaskProgress} (the commands: a bar on stderr); the
 * commands print the results ({@link #table}, where the store went) on stdout.
 */
final class OfflineStages {

    private OfflineStages() {
    }

    /** Opens the training split, limited to {@code limit} images (null: all). */
    static Dataset train(DataCatalog.Source source, Integer limit) throws IOException {
        Dataset d = source.train().load();
        return limit == null ? d : d.first(limit);
    }

    /** Opens the test split, limited to {@code limit} images (null: all). */
    static Dataset test(DataCatalog.Source source, Integer limit) throws IOException {
        Dataset d = source.test().load();
        return limit == null ? d : d.first(limit);
    }

    static StoreContents extract(TeacherOptions o, TeacherOptions.Teacher t, TaskProgress progress) {
        List<Block> blocks = BlockExtractor.extract(t.graph(), o.maxRatio);
        if (blocks.isEmpty()) {
            throw new IllegalStateException("no blocks found in " + o.model + " at --max-ratio " + o.maxRatio);
        }
        List<List<Descendant>> ds = Descendants.of(t.graph(), blocks, o.sparsities, o.criterion);
        progress.note(String.format(Locale.ROOT, "extract: %d blocks, %d descendants each (sparsities %s)", blocks.size(),
                o.sparsities.length, java.util.Arrays.toString(o.sparsities)));
        return new StoreContents(o.model, StoreTask.of(o.task()), o.dataset, t.graph(), blocks, ds,
                o.sparsities.clone(), o.maxRatio, o.criterion, t.normalize(), null, null, null);
    }

    /**
     * Retrains the fp32 descendants; int8 variants of an earlier profile are dropped with the profiles (they were
     * made from the weights before retraining: profile with {@code --precisions fp32,int8} makes them again).
     */
    static StoreContents retrain(StoreContents c, Dataset train, RetrainOptions options, TaskProgress progress) {
        c = c.fp32Only();
        progress.note(String.format(Locale.ROOT, "retrain: %d images (%.0f%% held out), %d epochs, batch %d, Adam lr %s",
                train.size(), 100 * options.validationFraction(), options.epochs(), options.batchSize(), options.lr()));
        return c.withRetrained(Retrainer.retrain(c.teacher(), c.blocks(), c.descendants(), train, c.normalize(),
                options, progress));
    }

    static StoreContents profile(StoreContents c, Dataset test, int batch, TaskProgress progress) {
        return profile(c, test, batch, LatencyProfile.CPU, progress);
    }

    /**
     * The contents with each block's options in {@code precisions}: int8 variants of the fp32 descendants made (or
     * kept, when the store has them) with the block inputs of the first {@code calibrationImages} of {@code train},
     * or dropped when {@code precisions} is fp32 alone.
     */
    static StoreContents precisions(StoreContents c, List<Precision> precisions, Dataset train, int calibrationImages,
                                    TaskProgress progress) {
        if (!precisions.contains(Precision.INT8)) {
            return c.fp32Only();
        }
        if (c.options().precisions().equals(precisions)) {
            return c;
        }
        Dataset calibration = train.first(Math.min(calibrationImages, train.size()));
        progress.note(String.format(Locale.ROOT, "int8: quantizing %d descendants per block, calibrated on the block"
                + " inputs of %d training images", c.sparsities().length, calibration.size()));
        return c.withDescendants(Int8Variants.add(c.teacher(), c.blocks(), c.fp32Only().descendants(), calibration,
                c.normalize(), 64, progress));
    }

    /**
     * The store's task's metric (top-1 for a classifier, mIoU for segmentation), size and FLOPs on the CPU; block
     * latencies on {@code device} ({@code cpu}, or an OpenCL spec such as {@code opencl:0}). Every option of a
     * block is profiled: each sparsity in each precision the contents hold.
     */
    static StoreContents profile(StoreContents c, Dataset test, int batch, String device, TaskProgress progress) {
        Task task = c.task().resolve();
        progress.note(String.format(Locale.ROOT, "profile: %s on %d test images, 3 environments", task.metricLabel(),
                test.size()));
        Profiles p = Profiler.profile(task, c.teacher(), c.blocks(), c.descendants(), c.sparsities(), test,
                c.normalize(), batch, progress);
        progress.note(device.equals(LatencyProfile.CPU)
                ? String.format(Locale.ROOT, "profile: latency at batch 1 on %d threads", Parallel.threads())
                : "profile: latency at batch 1 on OpenCL device " + device);
        LatencyProfile measured = LatencyProfiler.profile(c.teacher(), c.blocks(), c.descendants(),
                LatencyProfiler.Settings.defaults(), progress, device);
        return c.withProfiles(p).withLatency(measured);
    }

    /**
     * The per-block table: params, FLOPs, the drop of the profiled metric (top-1 accuracy for a classifier) and
     * (when measured) latency at every sparsity.
     */
    static void table(Profiles p, LatencyProfile latency, PrintStream out) {
        BlockOptions options = p.options();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-6s %10s %14s", "block", "params", "FLOPs"));
        for (int j = 0; j < options.count(); j++) {
            head.append(String.format(Locale.ROOT, " %9s", "drop@" + optionName(options, j)));
        }
        if (latency != null) {
            for (int j = 0; j < options.count(); j++) {
                head.append(String.format(Locale.ROOT, " %8s", "ms@" + optionName(options, j)));
            }
        }
        if (options.mixed()) {
            for (int j = 0; j < options.count(); j++) {
                head.append(String.format(Locale.ROOT, " %9s", "KiB@" + optionName(options, j)));
            }
        }
        out.println(head);
        for (int i = 0; i < p.blocks(); i++) {
            BlockProfile b = p.row(i, 0);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6d %10d %14d", b.blockIndex(),
                    b.params(), b.flops()));
            for (int j = 0; j < options.count(); j++) {
                line.append(String.format(Locale.ROOT, " %9.4f", p.row(i, j).accuracyDrop()));
            }
            if (latency != null) {
                for (int j = 0; j < options.count(); j++) {
                    line.append(String.format(Locale.ROOT, " %8.3f", latency.blockMs(i, j)));
                }
            }
            if (options.mixed()) {
                for (int j = 0; j < options.count(); j++) {
                    line.append(String.format(Locale.ROOT, " %9.1f", p.row(i, j).sizeBytes() / 1024.0));
                }
            }
            out.println(line);
        }
        out.printf(Locale.ROOT, "teacher %s %.4f on %d test images%n", metricLabel(p.metric()), p.teacherAccuracy(),
                p.testImages());
        if (latency != null) {
            String where = latency.backend().equals(LatencyProfile.CPU) ? latency.threads() + " threads"
                    : latency.backend();
            out.printf(Locale.ROOT, "whole model %.3f ms at batch 1 (frame %.3f ms), %s%n", latency.wholeMs(),
                    latency.frameMs(), where);
        }
    }

    /** Option {@code j} in a column head: its sparsity, with {@code i8} after it in int8 ({@code 0.4i8}). */
    static String optionName(BlockOptions options, int j) {
        return options.sparsity(j) + (options.precision(j) == Precision.FP32 ? "" : "i8");
    }

    /** How a metric is named in a sentence ({@code top-1} for {@code top1}); other names as they are. */
    static String metricLabel(String metric) {
        return metric.equals(Classification.TASK.metricName()) ? Classification.TASK.metricLabel() : metric;
    }

    /**
     * What the commands call a store's "accuracies" in text and on plots: {@code accuracy} for a classifier's top-1
     * (as before tasks existed), else the metric's name ({@code mIoU}).
     */
    static String accuracyName(String metric) {
        return metric.equals(Classification.TASK.metricName()) ? "accuracy" : metric;
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
