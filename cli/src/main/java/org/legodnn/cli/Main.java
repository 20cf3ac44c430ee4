package org.legodnn.cli;

import picocli.CommandLine;

/**
 * The entry point of {@code bin/legodnn}: parses the command line and turns every outcome into the exit codes
 * that outside tools rely on — 0 on success, 2 on bad usage, 1 on a failure with one clear line on stderr
 * (the stack trace only with {@code --verbose}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code, without exiting (for tests). */
    public static int run(String... args) {
        LegoDnnCommand root = new LegoDnnCommand();
        CommandLine cli = new CommandLine(root);
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --relax latency as well as LATENCY
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
            if (root.verbose()) {
                ex.printStackTrace(commandLine.getErr());
            }
            return CommandLine.ExitCode.SOFTWARE;
        });
        cli.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine bad = ex.getCommandLine();
            bad.getErr().println(bad.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
                    + " (see '" + bad.getCommandSpec().qualifiedName() + " --help')");
            return CommandLine.ExitCode.USAGE;
        });
        return cli.execute(args);
    }
}
