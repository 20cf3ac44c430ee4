package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Whatever a command throws — an exception without a message, a wrapped one, an out-of-memory, a stack
 * overflow, an assertion — ends as exit 1 and one line on stderr; {@code --verbose} adds the trace. Options are
 * checked for every command: non-finite numbers and absurd thread counts are bad usage (exit 2).
 */
class MainFailureTest {

    /** A command that fails in the way {@code --kind} names. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {

        @Option(names = "--kind")
        String kind = "none";

        @Option(names = "--verbose")
        boolean verbose;

        @Option(names = "--rate")
        double rate;

        @Option(names = "--threads")
        Integer threads;

        @Override
        public Integer call() throws Exception {
            switch (kind) {
                case "oom" -> {
                    long[][] hog = new long[64][];
                    for (int i = 0; i < hog.length; i++) {
                        hog[i] = new long[Integer.MAX_VALUE]; // beyond the VM's array limit: fails at once
                    }
                    return hog.length;
                }
                case "stack" -> {
                    return deep(0);
                }
                case "assert" -> throw new AssertionError("invariant broken");
                case "npe" -> throw new NullPointerException();
                case "wrapped" -> throw new ExecutionException(new ArithmeticException("/ by zero"));
                case "lines" -> throw new IllegalStateException("first line\nsecond line\n");
                case "linkage" -> throw new NoClassDefFoundError("org/example/Missing");
                default -> {
                    return 0;
                }
            }
        }

        private static int deep(int n) {
            return deep(n + 1) + 1;
        }
    }

    private record Outcome(int code, String err) {
    }

    private static Outcome boom(String... args) {
        Boom command = new Boom();
        CommandLine cli = new CommandLine(command);
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = Main.run(cli, () -> command.verbose, args);
        return new Outcome(code, err.toString());
    }

    @ParameterizedTest
    @CsvSource({
        "oom, out of memory (",
        "stack, nests too deeply for the thread's stack (StackOverflowError)",
        "assert, internal error: java.lang.AssertionError: invariant broken at ",
        "npe, NullPointerException at org.legodnn.cli.MainFailureTest$Boom.call(",
        "wrapped, / by zero",
        "lines, first line / second line",
        "linkage, internal error: java.lang.NoClassDefFoundError: org/example/Missing"})
    void everyThrowableIsOneLineAndExitOne(String kind, String expected) {
        Outcome o = boom("--kind", kind);
        assertEquals(1, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), "one line: " + o.err());
        assertTrue(o.err().startsWith("boom: ") || o.err().startsWith("legodnn: "), o.err());
        assertTrue(o.err().contains(expected), "'" + expected + "' in: " + o.err());
    }

    @Test
    void verboseKeepsTheTrace() {
        Outcome o = boom("--kind", "assert", "--verbose");
        assertEquals(1, o.code());
        assertTrue(o.err().lines().count() > 3 && o.err().contains("\tat org.legodnn.cli.MainFailureTest$Boom.call"),
                o.err());
    }

    @ParameterizedTest
    @CsvSource({
        "--rate, Infinity, '--rate': 'Infinity' is not a finite number",
        "--rate, NaN, '--rate': 'NaN' is not a finite number",
        "--rate, -1e999, is not a finite number",
        "--rate, 1x, '1x' is not a number",
        "--threads, 0, --threads must be from 1 to 1024, got 0",
        "--threads, 100000, --threads must be from 1 to 1024, got 100000"})
    void badNumbersAreUsageErrors(String option, String value, String expected) {
        Outcome o = boom(option, value);
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), "one line: " + o.err());
        assertTrue(o.err().contains(expected) && o.err().contains("(see 'boom --help')"), o.err());
    }

    @Test
    void theRealCommandsCheckTheirOptionsToo() {
        String[][] lines = {
            {"train", "--model", "cifar_resnet8", "--dataset", "fashion-mnist", "--epochs", "1", "--lr", "Infinity",
                "--out", "x.safetensors"},
            {"train", "--model", "cifar_resnet8", "--dataset", "fashion-mnist", "--epochs", "1", "--lr", "NaN",
                "--out", "x.safetensors"},
            {"run", "--model", "m.onnx", "--input", "i.safetensors", "--output", "o.safetensors", "--threads", "100000"},
            {"optimize", "--profiles", ".", "--latency-ms", "NaN", "--memory-mb", "1"},
            {"eval", "--model", "default", "--dataset", "fashion-mnist", "--threads", "5000"}};
        for (String[] line : lines) {
            CliRun r = CliRun.of(line);
            assertEquals(2, r.code(), String.join(" ", line) + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("legodnn " + line[0] + ": "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }
}
