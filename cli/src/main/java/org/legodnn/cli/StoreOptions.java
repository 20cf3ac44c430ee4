package org.legodnn.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoreContents;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.data.DataCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of the commands that continue an existing block store ({@code retrain}, {@code profile}). */
final class StoreOptions {

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The block store to continue (rewritten atomically).")
    Path store;

    @Option(names = "--data", paramLabel = "DIR", description = "Directory holding the store's data set"
            + " (default: $LEGODNN_DATA, installed packages, then the subset shipped with legodnn).")
    Path data;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    /** Runs {@code body} with {@code --threads} compute threads, restoring the previous count after. */
    <T> T withThreads(CommandLine cl, java.util.concurrent.Callable<T> body) throws Exception {
        if (threads != null && threads <= 0) {
            throw new CommandLine.ParameterException(cl, "--threads must be positive");
        }
        int previous = Parallel.threads();
        try {
            if (threads != null) {
                Parallel.setThreads(threads);
            }
            return body.call();
        } finally {
            Parallel.setThreads(previous);
        }
    }

    /** The store read back (checksums verified) and its data set opened. */
    record Opened(StoreContents contents, DataCatalog.Source source) {
    }

    Opened open() throws IOException {
        StoredBlocks s = BlockStore.read(store);
        StoreContents c = s.contents();
        DataCatalog.Source source = DataCatalog.open(c.dataset(), data, System.err);
        if (c.normalize() == null) {
            c = c.withNormalize(source.normalize());
        }
        return new Opened(c, source);
    }
}
