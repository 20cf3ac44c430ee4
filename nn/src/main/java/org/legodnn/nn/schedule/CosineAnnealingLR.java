package org.legodnn.nn.schedule;

/**
 * A smooth decay from the base rate to a floor over {@code tMax} steps, the closed form of
 * {@code torch.optim.lr_scheduler.CosineAnnealingLR} (without restarts):
 * lr(t) = ηmin + (base − ηmin)·(1 + cos(π·t / tMax)) / 2 for 0 ≤ t ≤ tMax, and ηmin after tMax.
 */
public record CosineAnnealingLR(double baseLr, int tMax, double etaMin) implements LrSchedule {

    public CosineAnnealingLR {
        if (tMax <= 0 || !(baseLr >= 0) || !(etaMin >= 0)) {
            throw new IllegalArgumentException("CosineAnnealingLR: base " + baseLr + ", tMax " + tMax + ", etaMin "
                    + etaMin + " (expected base >= 0, tMax > 0, etaMin >= 0)");
        }
    }

    @Override
    public double lr(int t) {
        int s = Math.min(Math.max(t, 0), tMax);
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * s / tMax)) / 2;
    }
}
