package org.legodnn.cli;

import java.util.concurrent.Callable;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.nn.train.TaskBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The retraining stage on its own, over a block store that {@code extract} wrote. */
@Command(name = "retrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Retrain every descendant of a block store on the teacher's block features (MSE, Adam),"
                + " keeping each one's best epoch; rewrites the store (stage 'retrained', profiles dropped).",
            "Memory: one batch of teacher features for all blocks at a time (batch x 4 bytes x the blocks'"
                + " input+output values per image), plus Adam state and a best-epoch copy per descendant."})
public final class RetrainStoreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Mixin
    private RetrainSettings retrain;

    @Override
    public Integer call() throws Exception {
        var options = retrain.options(spec.commandLine());
        return store.withThreads(spec.commandLine(), () -> {
            StoreOptions.Opened o = store.open();
            long t0 = System.nanoTime();
            TaskBar progress = TaskBar.forStderr();
            StoreContents c = OfflineStages.retrain(o.contents().withProfiles(null),
                    OfflineStages.train(o.source(), retrain.limit), options, progress);
            progress.end();
            BlockStore.write(store.store, c);
            System.out.println("store: " + OfflineStages.absolute(store.store) + " (retrain "
                    + OfflineStages.seconds(System.nanoTime() - t0) + ")");
            return 0;
        });
    }
}
