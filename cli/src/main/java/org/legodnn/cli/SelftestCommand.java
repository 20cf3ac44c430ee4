package org.legodnn.cli;

import java.util.concurrent.Callable;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.Simd;
import org.legodnn.kernels.check.KernelCheck;
import org.legodnn.kernels.check.KernelChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Proves, from the built jar alone, that this JVM computes what PyTorch computes: every SIMD kernel against
 * its scalar reference, and a whole CIFAR ResNet-20 against PyTorch's output. Meant for a new machine or
 * board (the arm64 run in CI uses it). Without the Vector API the kernels are the references themselves, so
 * only the model is checked, on the scalar device.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Check the SIMD kernels against their scalar references and a model against PyTorch.")
public final class SelftestCommand implements Callable<Integer> {

    @Option(names = "--seed", description = "Seed of the random shapes (default: ${DEFAULT-VALUE}).")
    private long seed = 20261123L;

    @Override
    public Integer call() {
        int failed = 0;
        System.out.println("device: " + Backends.cpu().name() + ", " + Simd.describe());
        if (Simd.available()) {
            for (KernelCheck check : KernelChecks.all()) {
                failed += report("kernel " + check.name(), () -> check.run(seed));
            }
        } else {
            System.out.println("skip  SIMD kernels against their references: no SIMD here (the model runs on the references)");
        }
        failed += report("model cifar_resnet20 vs PyTorch", SelftestModel::check);
        if (failed > 0) {
            System.err.println("legodnn selftest: " + failed + " check(s) failed");
            return 1;
        }
        System.out.println("all checks passed");
        return 0;
    }

    private static int report(String what, Runnable check) {
        long start = System.nanoTime();
        try {
            check.run();
            System.out.printf("ok    %-40s %6.0f ms%n", what, (System.nanoTime() - start) / 1e6);
            return 0;
        } catch (AssertionError | RuntimeException e) {
            System.out.printf("FAIL  %-40s %s%n", what, e.getMessage());
            return 1;
        }
    }
}
