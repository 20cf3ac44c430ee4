package org.legodnn.nn.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.data.Box;

/** Class-wise NMS on hand cases: duplicates, classes apart, the threshold's edge, ties. */
class NonMaxSuppressionTest {

    private static Box box(int cls, float x1, float score) {
        return new Box(cls, x1, 0, x1 + 10, 10, score);
    }

    @Test
    void aDuplicateOfTheSameClassIsDropped() {
        Box best = box(0, 0, 0.9f);
        Box shifted = box(0, 1, 0.8f); // IoU 90 / 110 = 0.82
        Box far = box(0, 50, 0.3f);
        assertEquals(List.of(best, far), NonMaxSuppression.apply(List.of(shifted, far, best), 0.45));
    }

    @Test
    void boxesOfDifferentClassesDoNotSuppressEachOther() {
        Box a = box(0, 0, 0.9f);
        Box b = box(1, 0, 0.8f);
        assertEquals(List.of(a, b), NonMaxSuppression.apply(List.of(b, a), 0.45));
    }

    @Test
    void anOverlapEqualToTheThresholdIsKept() {
        Box a = box(2, 0, 0.9f);
        Box b = new Box(2, 0, 0, 10, 5, 0.5f); // inside a, half its area: IoU exactly 0.5
        assertEquals(List.of(a, b), NonMaxSuppression.apply(List.of(a, b), 0.5));
        assertEquals(List.of(a), NonMaxSuppression.apply(List.of(a, b), 0.49));
    }

    @Test
    void equalScoresKeepTheirGivenOrder() {
        Box first = box(0, 0, 0.7f);
        Box second = box(0, 2, 0.7f); // IoU 80 / 120: suppressed by the one given first
        assertEquals(List.of(first), NonMaxSuppression.apply(List.of(first, second), 0.45));
        assertEquals(List.of(second), NonMaxSuppression.apply(List.of(second, first), 0.45));
    }

    @Test
    void suppressionIsOnlyByKeptBoxes() {
        // b is dropped by a; c overlaps b but not a, so c stays.
        Box a = box(0, 0, 0.9f);
        Box b = box(0, 4, 0.8f); // IoU with a 60 / 140 = 0.43 < 0.45: kept at 0.45, dropped at 0.4
        Box c = box(0, 8, 0.7f); // IoU with a 20 / 180, with b 60 / 140
        assertEquals(List.of(a, c), NonMaxSuppression.apply(List.of(a, b, c), 0.4));
    }

    @Test
    void refusesAThresholdOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> NonMaxSuppression.apply(List.of(), 1.5));
    }
}
