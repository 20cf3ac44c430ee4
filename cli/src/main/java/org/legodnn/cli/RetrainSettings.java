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

    @Option(names = "--limit", paramLabel = "N", description = "Retrain on only the first N training images"
            + " (10%% of them held out to pick each descendant's best epoch).")
    Integer limit;

    RetrainOptions options(CommandLine cl) {
        if (epochs < 0 || batch <= 0 || !(lr > 0) || (limit != null && limit < 2)) {
            throw new CommandLine.ParameterException(cl, "--epochs must be >= 0, --batch and --lr positive, --limit >= 2");
        }
        return new RetrainOptions(epochs, batch, lr, 0.1, 0);
    }
}
