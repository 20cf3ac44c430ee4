package org.legodnn.nn.schedule;

/**
 * Polynomial decay to zero over {@code totalSteps}, common in segmentation training;
 * {@code torch.optim.lr_scheduler.PolynomialLR}: lr(t) = base · (1 − min(t, total) / total)^power.
 */
public record PolyLR(double baseLr, int totalSteps, double power) implements LrSchedule {

    public PolyLR {
        if (totalSteps <= 0 || !(baseLr >= 0) || !(power >= 0)) {
            throw new IllegalArgumentException("PolyLR: base " + baseLr + ", total " + totalSteps + ", power " + power
                    + " (expected base >= 0, total > 0, power >= 0)");
        }
    }

    @Override
    public double lr(int t) {
        int s = Math.min(Math.max(t, 0), totalSteps);
        return baseLr * Math.pow(1.0 - (double) s / totalSteps, power);
    }
}
