package org.legodnn.nn.schedule;

/**
 * Decay by a constant factor every few epochs, the classic ResNet schedule; {@code torch.optim.lr_scheduler.StepLR}:
 * lr(t) = base · γ^⌊t / stepSize⌋.
 */
public record StepLR(double baseLr, int stepSize, double gamma) implements LrSchedule {

    public StepLR {
        if (stepSize <= 0 || !(baseLr >= 0) || !(gamma > 0)) {
            throw new IllegalArgumentException("StepLR: base " + baseLr + ", step size " + stepSize + ", gamma " + gamma
                    + " (expected base >= 0, step size > 0, gamma > 0)");
        }
    }

    @Override
    public double lr(int t) {
        return baseLr * Math.pow(gamma, Math.floorDiv(Math.max(t, 0), stepSize));
    }
}
