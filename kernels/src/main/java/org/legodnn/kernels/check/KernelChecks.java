package org.legodnn.kernels.check;

import java.util.List;

/** The list of every kernel check, for the unit tests and for {@code bin/legodnn selftest}. */
public final class KernelChecks {

    private KernelChecks() {
    }

    public static List<KernelCheck> all() {
        return List.of(new GemmCheck(), new ConvCheck(), new PoolCheck(), new BatchNormCheck(),
                new ElementwiseCheck(), new ExpCheck(), new LayoutCheck(), new UpsampleCheck(), new PackedConvCheck(), new Int8ConvCheck(),
                new WinogradCheck());
    }
}
