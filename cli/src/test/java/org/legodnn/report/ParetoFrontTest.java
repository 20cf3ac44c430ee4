package org.legodnn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Pareto front on hand-made sets where the answer is known, plus a brute-force check on random sets. */
class ParetoFrontTest {

    private static TradeoffPoint p(String label, double latencyMs, double accuracy) {
        return TradeoffPoint.of(label, latencyMs, 0, accuracy);
    }

    private static List<String> labels(List<TradeoffPoint> points) {
        return points.stream().map(TradeoffPoint::label).toList();
    }

    @Test
    void dominatedPointsAreRemovedAndTheFrontIsSortedByCost() {
        List<TradeoffPoint> points = List.of(
                p("slow-good", 30, 0.92),
                p("fast-bad", 5, 0.70),
                p("dominated", 20, 0.75), // beaten by mid: cheaper and more accurate
                p("mid", 12, 0.85),
                p("slow-worse", 40, 0.90)); // beaten by slow-good
        assertEquals(List.of("fast-bad", "mid", "slow-good"),
                labels(ParetoFront.of(points, TradeoffPoint::latencyMs)));
    }

    @Test
    void theFrontDependsOnTheCost() {
        List<TradeoffPoint> points = List.of(
                TradeoffPoint.of("fast-big", 5, 4_000_000, 0.9),
                TradeoffPoint.of("slow-small", 50, 1_000_000, 0.9));
        assertEquals(List.of("fast-big"), labels(ParetoFront.of(points, TradeoffPoint::latencyMs)));
        assertEquals(List.of("slow-small"), labels(ParetoFront.of(points, TradeoffPoint::memoryMiB)));
    }

    @Test
    void atEqualCostTheLessAccurateIsDominated() {
        List<TradeoffPoint> points = List.of(p("worse", 10, 0.80), p("better", 10, 0.85));
        assertEquals(List.of("better"), labels(ParetoFront.of(points, TradeoffPoint::latencyMs)));
    }

    @Test
    void atEqualAccuracyTheCostlierIsDominated() {
        List<TradeoffPoint> points = List.of(p("costly", 20, 0.85), p("cheap", 10, 0.85));
        assertEquals(List.of("cheap"), labels(ParetoFront.of(points, TradeoffPoint::latencyMs)));
    }

    @Test
    void exactDuplicatesBothStayOrderedByLabelThenInputOrder() {
        List<TradeoffPoint> points = List.of(
                p("b", 10, 0.85), p("a", 10, 0.85), p("a", 10, 0.85), p("low", 5, 0.5), p("x", 10, 0.84));
        List<TradeoffPoint> front = ParetoFront.of(points, TradeoffPoint::latencyMs);
        assertEquals(List.of("low", "a", "a", "b"), labels(front));
        assertTrue(front.get(1) == points.get(1) && front.get(2) == points.get(2), "input order breaks full ties");
    }

    @Test
    void theAnswerDoesNotDependOnInputOrderExceptAmongIdenticalPoints() {
        List<TradeoffPoint> points = new ArrayList<>(List.of(
                p("a", 1, 0.1), p("b", 2, 0.3), p("c", 2, 0.2), p("d", 3, 0.3), p("e", 4, 0.5), p("f", 4, 0.5)));
        List<String> expected = labels(ParetoFront.of(points, TradeoffPoint::latencyMs));
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(points, random);
            assertEquals(expected, labels(ParetoFront.of(points, TradeoffPoint::latencyMs)));
        }
        assertEquals(List.of("a", "b", "e", "f"), expected);
    }

    @Test
    void aSinglePointIsItsOwnFrontAndNoPointsHaveNoFront() {
        TradeoffPoint only = p("only", 3, 0.5);
        assertEquals(List.of(only), ParetoFront.of(List.of(only), TradeoffPoint::latencyMs));
        assertEquals(List.of(), ParetoFront.of(List.of(), TradeoffPoint::latencyMs));
    }

    @Test
    void aNanCostIsRejectedNamingThePoint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParetoFront.of(List.of(p("ok", 1, 0.5), p("bad", 2, 0.6)), q -> q.label().equals("bad") ? Double.NaN : 1));
        assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void matchesBruteForceOnRandomSets() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            List<TradeoffPoint> points = new ArrayList<>();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                // few distinct values, so ties of every kind happen
                points.add(p("p" + i, random.nextInt(8), random.nextInt(6) / 5.0));
            }
            List<TradeoffPoint> front = ParetoFront.of(points, TradeoffPoint::latencyMs);
            assertEquals(bruteForce(points).size(), front.size(), points.toString());
            assertTrue(front.containsAll(bruteForce(points)), points.toString());
            for (int i = 1; i < front.size(); i++) {
                assertTrue(front.get(i - 1).latencyMs() <= front.get(i).latencyMs(), "sorted by cost");
            }
        }
    }

    /** Every point that no other point dominates, straight from the definition. */
    private static List<TradeoffPoint> bruteForce(List<TradeoffPoint> points) {
        List<TradeoffPoint> out = new ArrayList<>();
        for (TradeoffPoint q : points) {
            boolean dominated = false;
            for (TradeoffPoint o : points) {
                boolean noWorse = o.latencyMs() <= q.latencyMs() && o.accuracy() >= q.accuracy();
                boolean better = o.latencyMs() < q.latencyMs() || o.accuracy() > q.accuracy();
                dominated |= noWorse && better;
            }
            if (!dominated) {
                out.add(q);
            }
        }
        return out;
    }
}
