package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** moving-mnist-actions: each clip's digit does what its label says, and stays on the canvas. */
class ActionClipsTest {

    private static Dataset digits;

    @BeforeAll
    static void load() throws IOException {
        digits = DataCatalog.shipped("mnist").test().load();
    }

    @Test
    void everyClipDoesWhatItsLabelSays() {
        ActionClips clips = new ActionClips(digits, 400, 1);
        int[] seen = new int[8];
        for (int i = 0; i < 400; i++) {
            ActionClips.Clip c = clips.clip(i);
            assertEquals(c.action(), clips.label(i));
            seen[c.action()]++;
            double[] first = moments(c.frames(), 0);
            double[] last = moments(c.frames(), ActionClips.FRAMES - 1);
            String what = "clip " + i + " (" + ActionClips.ACTIONS.get(c.action()) + ")";
            switch (c.action()) {
                case 0 -> assertTrue(last[1] < first[1] - 5, what + ": centroid x " + first[1] + " -> " + last[1]);
                case 1 -> assertTrue(last[1] > first[1] + 5, what + ": centroid x " + first[1] + " -> " + last[1]);
                case 2 -> assertTrue(last[2] < first[2] - 5, what + ": centroid y " + first[2] + " -> " + last[2]);
                case 3 -> assertTrue(last[2] > first[2] + 5, what + ": centroid y " + first[2] + " -> " + last[2]);
                case 4, 5 -> {
                    // The top edge's direction turns by 5-12° a frame, clockwise on screen for "clockwise".
                    double turn = angle(c.maps().get(ActionClips.FRAMES - 1)) - angle(c.maps().get(0));
                    double sign = c.action() == 4 ? 1 : -1;
                    assertTrue(sign * turn >= 35 - 1e-9 && sign * turn <= 84 + 1e-9, what + ": turned " + turn);
                }
                case 6 -> assertTrue(last[0] > first[0] * 1.2, what + ": ink " + first[0] + " -> " + last[0]);
                default -> assertTrue(last[0] < first[0] / 1.2, what + ": ink " + first[0] + " -> " + last[0]);
            }
            for (AffineMap m : c.maps()) {
                double[] box = m.bounds(28, 28);
                assertTrue(box[0] >= -1e-9 && box[1] >= -1e-9 && box[2] <= 48 + 1e-9 && box[3] <= 48 + 1e-9,
                        what + " leaves the canvas");
            }
        }
        for (int a = 0; a < 8; a++) {
            assertTrue(seen[a] > 25, ActionClips.ACTIONS.get(a) + " drawn " + seen[a] + " times of 400");
        }
    }

    @Test
    void sameSeedSameClipsAndTheShapeIsAnImage() {
        ActionClips a = new ActionClips(digits, 10, 3);
        ActionClips b = new ActionClips(digits, 10, 3);
        assertArrayEquals(a.clip(7).frames(), b.clip(7).frames());
        assertEquals(8, a.channels());
        assertEquals(8 * 48 * 48, a.image(2).length);
        assertEquals(8, a.classes());
        assertThrows(IndexOutOfBoundsException.class, () -> a.clip(10));
        assertThrows(IllegalArgumentException.class, () -> new ActionClips(digits, -1, 0));
    }

    @Test
    void theCatalogServesThemToTheActionTask() throws IOException {
        Dataset test = DataCatalog.open("moving-mnist-actions", null, null).test().load();
        assertEquals(DataCatalog.CANVAS_TEST, test.size());
        org.legodnn.nn.task.Task action = org.legodnn.nn.task.Tasks.named("action");
        action.check(test, "moving-mnist-actions");
        assertEquals("top1", action.metricName());
        assertEquals(ActionClips.ACTIONS, DataCatalog.classNames("moving-mnist-actions"));
    }

    /** {ink, centroid x, centroid y} of frame {@code f}. */
    private static double[] moments(float[] frames, int f) {
        double m = 0;
        double mx = 0;
        double my = 0;
        int n = ActionClips.SIZE;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = frames[f * n * n + i * n + j];
                m += v;
                mx += v * (j + 0.5);
                my += v * (i + 0.5);
            }
        }
        return new double[] {m, mx / m, my / m};
    }

    /** The direction of the map's image of the x axis, in degrees (clockwise on screen). */
    private static double angle(AffineMap m) {
        return Math.toDegrees(Math.atan2(m.c(), m.a()));
    }
}
