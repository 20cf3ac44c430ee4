package org.legodnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The checks every command's options get before the command runs, so that no command can forget them: every
 * floating-point value must be finite ({@code --lr Infinity} or {@code NaN} is bad usage, exit 2, not a training
 * run that diverges) and every thread count must lie between 1 and {@link #MAX_THREADS}.
 */
final class OptionChecks {

    /**
     * The most threads any {@code --threads} option accepts: far above any core count this engine is run on
     * (kernels gain nothing past the cores), low enough that a typo such as {@code 100000} fails as bad usage
     * instead of exhausting the process's threads and memory.
     */
    static final int MAX_THREADS = 1024;

    private OptionChecks() {
    }

    /** Registers the converters of {@code double}, {@code float} and their boxes that refuse NaN and infinities. */
    static void register(CommandLine cli) {
        CommandLine.ITypeConverter<Double> doubles = OptionChecks::finiteDouble;
        CommandLine.ITypeConverter<Float> floats = s -> {
            float f = (float) (double) finiteDouble(s);
            if (!Float.isFinite(f)) {
                throw new CommandLine.TypeConversionException("'" + s + "' is beyond the float range");
            }
            return f;
        };
        cli.registerConverter(Double.class, doubles);
        cli.registerConverter(Double.TYPE, doubles);
        cli.registerConverter(Float.class, floats);
        cli.registerConverter(Float.TYPE, floats);
    }

    private static Double finiteDouble(String s) {
        double d;
        try {
            d = Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + s + "' is not a number");
        }
        if (!Double.isFinite(d)) {
            throw new CommandLine.TypeConversionException("'" + s + "' is not a finite number");
        }
        return d;
    }

    /**
     * Checks the thread counts of the command line {@code parsed} (every option whose name ends in
     * {@code threads}, on every subcommand).
     *
     * @throws CommandLine.ParameterException naming the option, the allowed range and the value
     */
    static void check(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (OptionSpec o : p.matchedOptions()) {
                if (o.longestName().endsWith("threads") && o.getValue() instanceof Integer n
                        && (n < 1 || n > MAX_THREADS)) {
                    throw new CommandLine.ParameterException(p.commandSpec().commandLine(), o.longestName()
                            + " must be from 1 to " + MAX_THREADS + ", got " + n);
                }
            }
        }
    }
}
