package org.legodnn.cli;

import java.util.List;
import org.legodnn.core.offline.Int8Variants;
import org.legodnn.core.prune.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --precisions} option of the commands that profile a store ({@code offline}, {@code profile}), declared
 * once so both read it alike: with int8 among them every descendant gains an int8 variant, profiled like the
 * others, and the optimizer chooses per block among widths and precisions.
 */
final class PrecisionsOption {

    @Option(names = "--precisions", paramLabel = "P,...", description = "The precisions each descendant is offered in:"
            + " fp32 (the default for offline) or fp32,int8 (every descendant also quantized: int8 weights per"
            + " channel, uint8 activations, calibrated on its block's teacher input). For profile the default keeps"
            + " the store's.")
    String precisions;

    @Option(names = "--calibration-images", paramLabel = "N", description = "Training images whose block inputs"
            + " calibrate the int8 ranges (default: ${DEFAULT-VALUE}).")
    int calibrationImages = Int8Variants.DEFAULT_IMAGES;

    /**
     * The precisions asked for, or {@code fallback} (which may be null) when none were.
     *
     * @throws ParameterException for an unknown name, a list without fp32 or a bad image count
     */
    List<Precision> checked(CommandLine cl, List<Precision> fallback) {
        if (calibrationImages <= 0) {
            throw new ParameterException(cl, "--calibration-images must be positive");
        }
        if (precisions == null) {
            return fallback;
        }
        try {
            return Precision.parseList(precisions);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--precisions: " + e.getMessage());
        }
    }
}
