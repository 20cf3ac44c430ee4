package org.legodnn.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.core.prune.Precision;
import org.legodnn.nn.train.TaskBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The profiling stage on its own, over a block store. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Profile every descendant of a block store (accuracy drop over 3 environments, size, params,"
                + " FLOPs, peak activation memory; with --precisions fp32,int8 its int8 variants too) and rewrite the store with profiles.json and the original"
                + " LegoDNN's five profile files.")
public final class ProfileCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Option(names = "--test-limit", paramLabel = "N", description = "Profile on only the first N test images.")
    private Integer testLimit;

    @Mixin
    private LatencyDeviceOption latencyDevice;

    @Mixin
    private PrecisionsOption precisions;

    @Override
    public Integer call() throws Exception {
        if (testLimit != null && testLimit <= 0) {
            throw new ParameterException(spec.commandLine(), "--test-limit must be positive");
        }
        String device = latencyDevice.checked(spec.commandLine());
        List<Precision> asked = precisions.checked(spec.commandLine(), null);
        return store.withThreads(spec.commandLine(), () -> {
            StoreOptions.Opened o = store.open();
            long t0 = System.nanoTime();
            TaskBar progress = TaskBar.forStderr();
            StoreContents c = o.contents();
            List<Precision> wanted = asked == null ? c.options().precisions() : asked;
            if (!wanted.equals(c.options().precisions())) {
                c = OfflineStages.precisions(c, wanted, OfflineStages.train(o.source(), precisions.calibrationImages),
                        precisions.calibrationImages, progress);
            }
            c = OfflineStages.profile(c, OfflineStages.test(o.source(), testLimit), 256, device, progress);
            progress.end();
            BlockStore.write(store.store, c);
            OfflineStages.table(c.profiles(), c.latency(), System.out);
            System.out.println("store: " + OfflineStages.absolute(store.store) + " (profile "
                    + OfflineStages.seconds(System.nanoTime() - t0) + ")");
            return 0;
        });
    }
}
