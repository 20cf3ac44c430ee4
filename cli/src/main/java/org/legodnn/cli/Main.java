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
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // picocli passes only exceptions to the handler above; these errors would otherwise print a JVM trace
            String what = e instanceof OutOfMemoryError
                    ? "out of memory (" + e.getMessage() + "); give the JVM more, e.g. LEGODNN_JAVA_OPTS=-Xmx8g, or use"
                            + " smaller batches or inputs"
                    : "the model nests too deeply for the thread's stack (StackOverflowError); try -Xss16m";
            cli.getErr().println("legodnn: " + what);
            if (root.verbose()) {
                e.printStackTrace(cli.getErr());
            }
            return CommandLine.ExitCode.SOFTWARE;
        }
    }
}
