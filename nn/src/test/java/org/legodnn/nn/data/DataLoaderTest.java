package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    /** n images of 1×3×2 whose pixels all equal (i mod 256) / 255, labels i mod 4. */
    static InMemoryDataset numbered(int n) {
        byte[] px = new byte[n * 6];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(px, i * 6, i * 6 + 6, (byte) i);
            labels[i] = i % 4;
        }
        return new InMemoryDataset(px, labels, 1, 3, 2, null);
    }

    private static List<Integer> indices(DataLoader loader, int epoch, List<Integer> sizes) {
        List<Integer> seen = new ArrayList<>();
        try (DataLoader.Epoch e = loader.epoch(epoch)) {
            while (e.hasNext()) {
                Batch b = e.next();
                sizes.add(b.size());
                assertArrayEquals(new int[] {b.size(), 1, 3, 2}, b.images().shape());
                for (int i = 0; i < b.size(); i++) {
                    seen.add(b.indices()[i]);
                    assertEquals(b.indices()[i] % 4, b.labels()[i]);
                    assertEquals((b.indices()[i] & 0xff) / 255f, b.images().data()[i * 6 + 5]);
                }
            }
        }
        return seen;
    }

    @Test
    void everySampleOncePerEpochInASeededOrder() {
        InMemoryDataset ds = numbered(103);
        try (DataLoader loader = new DataLoader(ds, DataLoader.Settings.training(10, 5, null, null))) {
            assertEquals(11, loader.batches());
            List<Integer> sizes = new ArrayList<>();
            List<Integer> e0 = indices(loader, 0, sizes);
            assertEquals(103, e0.size());
            assertEquals(103, e0.stream().distinct().count());
            assertEquals(3, sizes.get(sizes.size() - 1), "last batch holds the remainder");
            List<Integer> e1 = indices(loader, 1, new ArrayList<>());
            assertEquals(103, e1.stream().distinct().count());
            assertFalse(e0.equals(e1), "each epoch has its own order");
            assertEquals(e0, indices(loader, 0, new ArrayList<>()), "an epoch's order is reproducible");
        }
        try (DataLoader again = new DataLoader(ds, DataLoader.Settings.training(7, 5, null, null))) {
            assertEquals(Arrays.stream(Shuffle.permutation(103, 5, 0)).boxed().toList(), indices(again, 0, new ArrayList<>()),
                    "the order does not depend on the batch size");
        }
    }

    @Test
    void evaluationIsInOrderAndDropLastDrops() {
        InMemoryDataset ds = numbered(10);
        try (DataLoader loader = new DataLoader(ds, DataLoader.Settings.evaluation(4, null))) {
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), indices(loader, 0, new ArrayList<>()));
        }
        try (DataLoader loader = new DataLoader(ds, DataLoader.Settings.evaluation(4, null).withDropLast(true))) {
            assertEquals(2, loader.batches());
            assertEquals(8, indices(loader, 0, new ArrayList<>()).size());
        }
    }

    @Test
    void normalizesAfterAugmenting() {
        InMemoryDataset ds = numbered(3);
        Normalize n = Normalize.uniform(1, 0.5f, 0.25f);
        DataLoader.Settings s = new DataLoader.Settings(3, false, 1, new Augment(1, false), n, false, 1);
        try (DataLoader loader = new DataLoader(ds, s); DataLoader.Epoch e = loader.epoch(0)) {
            float[] x = e.next().images().data();
            int zeros = 0;
            for (float v : x) {
                // Each value is either a pixel of its image or the zero padding, normalized.
                if (v == (0f - 0.5f) / 0.25f) {
                    zeros++;
                }
            }
            assertTrue(zeros >= 2, "image 0 and any padding normalize to -2");
        }
        assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(ds, DataLoader.Settings.evaluation(2, Normalize.uniform(3, 0, 1))));
    }

    @Test
    void closeEndsTheBackgroundThread() throws InterruptedException {
        InMemoryDataset ds = numbered(50);
        DataLoader loader = new DataLoader(ds, DataLoader.Settings.training(4, 1, null, null));
        assertFalse(loader.threadAlive(), "no thread before the first epoch");
        DataLoader.Epoch e = loader.epoch(0);
        e.next();
        assertTrue(loader.threadAlive());
        assertTrue(threadNamed(loader.threadName()).isDaemon());
        e.close(); // abandon the epoch with batches prepared ahead
        assertFalse(e.hasNext());
        assertEquals(50, indices(loader, 1, new ArrayList<>()).size(), "the loader still works after an abandoned epoch");
        loader.close();
        assertFalse(loader.threadAlive());
        assertTrue(threadNamed(loader.threadName()) == null);
        assertThrows(IllegalStateException.class, () -> loader.epoch(2));
        loader.close(); // twice is harmless
    }

    private static Thread threadNamed(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    @Test
    void errorsInTheBackgroundReachTheCaller() {
        Dataset broken = new Dataset() {
            @Override
            public int size() {
                return 4;
            }

            @Override
            public int channels() {
                return 1;
            }

            @Override
            public int height() {
                return 1;
            }

            @Override
            public int width() {
                return 1;
            }

            @Override
            public List<String> classNames() {
                return List.of("a");
            }

            @Override
            public int label(int index) {
                return 0;
            }

            @Override
            public void image(int index, float[] dst, int offset) {
                throw new IllegalStateException("image " + index + " is unreadable");
            }
        };
        try (DataLoader loader = new DataLoader(broken, DataLoader.Settings.evaluation(2, null));
             DataLoader.Epoch e = loader.epoch(0)) {
            IllegalStateException ex = assertThrows(IllegalStateException.class, e::next);
            assertEquals("image 0 is unreadable", ex.getMessage());
        }
    }

    @Test
    void subsetsAndFirstAreViews() {
        InMemoryDataset ds = numbered(10);
        Dataset first = ds.first(3);
        assertEquals(3, first.size());
        assertEquals(2, first.label(2));
        assertTrue(ds.first(99) == ds);
        Dataset sub = ds.subset(new int[] {9, 1});
        assertEquals(9 / 255f, sub.image(0)[0]);
        assertEquals(1, sub.label(1));
        assertThrows(IllegalArgumentException.class, () -> ds.subset(new int[] {10}));
    }
}
