package org.legodnn.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The compositions worth choosing from at all: those that no other composition beats, i.e. none is at most
 * as costly and at least as accurate while strictly better in one of the two. Everything else lies below
 * the front and is never the optimizer's answer, whatever the budget.
 *
 * <p>Ties, deterministically: of two points with the same cost, the less accurate is dominated; of two with
 * the same accuracy, the costlier is dominated; exact duplicates (same cost and same accuracy) dominate
 * neither each other, so both stay, ordered by label and then by their order in the input.
 */
public final class ParetoFront {

    private ParetoFront() {}

    /**
     * The points of {@code points} that are not dominated when minimising {@code cost} and maximising
     * {@link TradeoffPoint#accuracy()}, sorted by rising cost (so also by rising accuracy). An empty input
     * has an empty front.
     *
     * @throws IllegalArgumentException when {@code cost} gives NaN for some point
     */
    public static List<TradeoffPoint> of(List<TradeoffPoint> points, ToDoubleFunction<TradeoffPoint> cost) {
        List<Costed> sorted = sortedByCost(points, cost);
        List<TradeoffPoint> front = new ArrayList<>();
        Costed last = null;
        for (Costed c : sorted) {
            if (last == null || c.accuracy() > last.accuracy() || c.sameValuesAs(last)) {
                front.add(c.point());
                last = c;
            }
        }
        return List.copyOf(front);
    }

    /** A point with its cost computed once, and its position in the input to break full ties. */
    private record Costed(TradeoffPoint point, double cost, int index) {
        double accuracy() {
            return point.accuracy();
        }

        boolean sameValuesAs(Costed other) {
            return cost == other.cost && accuracy() == other.accuracy();
        }
    }

    /** Cheapest first; at equal cost the most accurate first, then by label, then by input order. */
    private static List<Costed> sortedByCost(List<TradeoffPoint> points, ToDoubleFunction<TradeoffPoint> cost) {
        List<Costed> costed = new ArrayList<>(points.size());
        for (int i = 0; i < points.size(); i++) {
            TradeoffPoint p = points.get(i);
            double c = cost.applyAsDouble(p);
            if (Double.isNaN(c)) {
                throw new IllegalArgumentException(
                        "ParetoFront: cost of point " + i + " (" + p.label() + ") is NaN; expected a number");
            }
            costed.add(new Costed(p, c, i));
        }
        costed.sort(Comparator.comparingDouble(Costed::cost)
                .thenComparing(Comparator.comparingDouble(Costed::accuracy).reversed())
                .thenComparing(c -> c.point().label())
                .thenComparingInt(Costed::index));
        return costed;
    }
}
