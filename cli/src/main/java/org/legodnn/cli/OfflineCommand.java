package org.legodnn.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.RetrainOptions;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.core.prune.Precision;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.train.TaskBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * LegoDNN's whole offline stage in one command: what {@code extract}, {@code retrain} and {@code profile} do in
 * turn, with one progress bar on stderr and the store's table on stdout.
 */
@Command(name = "offline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Extract blocks, derive descendants, retrain them on the teacher's features, (with --precisions"
                + " fp32,int8) quantize each to int8 as well, profile them, and write a block store (index.json with SHA-256 checksums, safetensors, the original LegoDNN's"
                + " five profile files).",
            "Retraining holds one batch of teacher features for all blocks at a time: batch x 4 bytes x the"
                + " distinct block input/output values per image (~55 MB for the CIFAR ResNet-20 on 28x28 at batch 128),"
                + " plus Adam state and a best-epoch copy per descendant."})
public final class OfflineCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private TeacherOptions teacher;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The block store to write (replaced atomically).")
    private Path out;

    @Mixin
    private RetrainSettings retrain;

    @Option(names = "--test-limit", paramLabel = "N", description = "Profile on only the first N test images.")
    private Integer testLimit;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    private Integer threads;

    @Mixin
    private LatencyDeviceOption latencyDevice;

    @Mixin
    private PrecisionsOption precisions;

    @Override
    public Integer call() throws Exception {
        teacher.check(spec.commandLine());
        RetrainOptions options = retrain.options(spec.commandLine());
        if ((threads != null && threads <= 0) || (testLimit != null && testLimit <= 0)) {
            throw new ParameterException(spec.commandLine(), "--threads and --test-limit must be positive");
        }
        String device = latencyDevice.checked(spec.commandLine());
        List<Precision> wanted = precisions.checked(spec.commandLine(), List.of(Precision.FP32));
        int previous = Parallel.threads();
        try {
            if (threads != null) {
                Parallel.setThreads(threads);
            }
            return run(options, device, wanted);
        } finally {
            Parallel.setThreads(previous);
        }
    }

    private int run(RetrainOptions options, String device, List<Precision> wanted) throws Exception {
        var stdout = System.out;
        DataCatalog.Source source = DataCatalog.open(teacher.dataset, teacher.data, System.err);
        Dataset train = OfflineStages.train(source, retrain.limit);
        Dataset test = OfflineStages.test(source, testLimit);

        TaskBar progress = TaskBar.forStderr();
        long t0 = System.nanoTime();
        StoreContents c = OfflineStages.extract(teacher, teacher.load(train, source.normalize()), progress);
        long t1 = System.nanoTime();
        c = OfflineStages.retrain(c, train, options, progress);
        long t2 = System.nanoTime();
        c = OfflineStages.precisions(c, wanted, train, precisions.calibrationImages, progress);
        c = OfflineStages.profile(c, test, 256, device, progress);
        progress.end();
        long t3 = System.nanoTime();
        BlockStore.write(out, c);
        long t4 = System.nanoTime();
        stdout.println("store: " + OfflineStages.absolute(out));
        OfflineStages.table(c.profiles(), c.latency(), stdout);
        stdout.println("wall time: extract " + OfflineStages.seconds(t1 - t0) + ", retrain " + OfflineStages.seconds(t2 - t1)
                + ", profile " + OfflineStages.seconds(t3 - t2) + ", store " + OfflineStages.seconds(t4 - t3)
                + ", total " + OfflineStages.seconds(t4 - t0));
        return 0;
    }
}
