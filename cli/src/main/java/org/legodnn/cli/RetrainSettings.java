package org.legodnn.cli;

import org.legodnn.core.offline.RetrainOptions;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The retraining and data-size options shared by {@code offline} and {@code retrain}. */
final class RetrainSettings {

    @Option(names = "--epochs", paramLabel = "E", description = "Retraining epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 2;

    @Option(names = "--batch", paramLabel = "B", description = "Retraining batch size (default: ${DEFAULT-VALUE}).")
    int batch = 128;

    @Option(names = "--lr", paramLabel = "LR", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr = 3e-4;

    /**
     * Retraining matches block features, which needs far fewer images than training the teacher did: the first
     * 10,000 (all of a shipped subset) keep the offline stage within minutes also where a full set of 60,000 is
     * installed or a generated set has 60,000 canvases.
     */
    static final int DEFAULT_LIMIT = 10_000;

    @Option(names = "--limit", paramLabel = "N", description = "Retrain on the first N training images"
            + " (default: ${DEFAULT-VALUE}; 10%% of them held out to pick each descendant's best epoch).")
    Integer limit = DEFAULT_LIMIT;

    RetrainOptions options(CommandLine cl) {
        if (epochs < 0 || batch <= 0 || !(lr > 0) || (limit != null && limit < 2)) {
            throw new CommandLine.ParameterException(cl, "--epochs must be >= 0, --batch and --lr positive, --limit >= 2");
        }
        return new RetrainOptions(epochs, batch, lr, 0.1, 0);
    }
}
