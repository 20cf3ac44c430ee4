package org.legodnn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.train.TaskProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The first offline stage on its own: blocks and descendants of a teacher, written as a new block store. */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Extract blocks and derive descendants by structured pruning; write them as a block store"
                + " (stage 'extracted'), for retrain and profile to continue.")
public final class ExtractCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private TeacherOptions teacher;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The block store to write (replaced atomically).")
    private Path out;

    @Override
    public Integer call() throws Exception {
        teacher.check(spec.commandLine());
        DataCatalog.Source source = DataCatalog.open(teacher.dataset, teacher.data, System.err);
        Dataset sample = source.test().load().first(1);
        long t0 = System.nanoTime();
        StoreContents c = OfflineStages.extract(teacher, teacher.load(sample, source.normalize()),
                TaskProgress.notesOn(System.out)); // quick: its one line is the result
        BlockStore.write(out, c);
        System.out.println("store: " + OfflineStages.absolute(out) + " (extract " + OfflineStages.seconds(System.nanoTime() - t0) + ")");
        return 0;
    }
}
