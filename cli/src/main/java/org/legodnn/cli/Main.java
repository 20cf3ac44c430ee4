package org.legodnn.cli;

import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/**
 * The entry point of {@code bin/legodnn}: parses the command line and turns every outcome into the exit codes
 * that outside tools rely on — 0 on success, 2 on bad usage, 1 on any failure (an exception, an out-of-memory,
 * any {@link Throwable}) with one clear line on stderr (the stack trace only with {@code --verbose}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // a worker thread that dies would otherwise print a JVM trace of its own; its caller still fails with one line
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                System.err.println("legodnn: thread " + thread.getName() + ": " + FailureMessage.of(e)));
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code, without exiting (for tests). */
    public static int run(String... args) {
        LegoDnnCommand root = new LegoDnnCommand();
        return run(new CommandLine(root), root::verbose, args);
    }

    /** Runs {@code args} on {@code cli} with this entry point's checks and handlers; {@code verbose} keeps traces. */
    static int run(CommandLine cli, BooleanSupplier verbose, String... args) {
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --relax latency as well as LATENCY
        OptionChecks.register(cli);
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cli.setExecutionStrategy(parsed -> {
            OptionChecks.check(parsed);
            return runLast.execute(parsed);
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + FailureMessage.of(ex));
            if (verbose.getAsBoolean()) {
                ex.printStackTrace(commandLine.getErr());
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine bad = ex.getCommandLine();
            bad.getErr().println(bad.getCommandSpec().qualifiedName() + ": " + FailureMessage.of(ex)
                    + " (see '" + bad.getCommandSpec().qualifiedName() + " --help')");
            if (verbose.getAsBoolean()) {
                ex.printStackTrace(bad.getErr());
            }
            return CommandLine.ExitCode.USAGE;
        });
        try {
            return cli.execute(args);
        } catch (Throwable e) {
            // picocli hands only exceptions to the handler above: errors (out of memory, stack overflow, a
            // linkage or internal error) and anything thrown by a handler itself end here
            try {
                cli.getErr().println("legodnn: " + FailureMessage.of(e));
                if (verbose.getAsBoolean()) {
                    e.printStackTrace(cli.getErr());
                }
            } catch (Throwable ignored) {
                // nothing more can be said: the exit code still tells
            }
            return CommandLine.ExitCode.SOFTWARE;
        }
    }
}
