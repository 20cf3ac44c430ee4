package org.legodnn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code legodnn} command: global options and the list of subcommands. */
@Command(name = "legodnn",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "A pure-Java deep-learning engine with LegoDNN block-grained model scaling.",
        subcommands = {VersionCommand.class, SelftestCommand.class, TrainCommand.class, EvalCommand.class,
            RunCommand.class, PredictCommand.class, InfoCommand.class, BlocksCommand.class, OfflineCommand.class, ExtractCommand.class,
            RetrainStoreCommand.class, ProfileCommand.class, OptimizeCommand.class, ExportCommand.class, SeriesCommand.class, DemoCommand.class, BenchCommand.class, QuantizeCommand.class, PruneCommand.class, picocli.CommandLine.HelpCommand.class})
public final class LegoDnnCommand implements Runnable {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces on failure.")
    private boolean verbose;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    boolean verbose() {
        return verbose;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
