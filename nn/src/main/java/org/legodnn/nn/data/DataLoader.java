package org.legodnn.nn.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.legodnn.tensor.Tensor;

/**
 * Turns a {@link Dataset} into batches, preparing the next ones on a background thread while the current
 * one trains, so that reading, augmenting and normalizing images costs no time on the training thread. Like
 * PyTorch's {@code DataLoader} with one worker: a seeded order per epoch, the last batch possibly smaller.
 *
 * <p>One daemon thread per loader, started on first use, prepares at most {@link Settings#prefetch()}
 * batches ahead (a bounded window of futures, so memory stays flat); {@link #close()} stops it. Every batch
 * is a pure function of (seed, epoch, batch number), so results do not depend on timing.
 * <pre>
 *   try (DataLoader loader = new DataLoader(train, DataLoader.Settings.training(128, seed, augment, norm));
 *        DataLoader.Epoch epoch = loader.epoch(e)) {
 *       while (epoch.hasNext()) { Batch b = epoch.next(); ... }
 *   }
 * </pre>
 */
public final class DataLoader implements AutoCloseable {

    /**
     * How batches are made.
     *
     * @param batchSize images per batch
     * @param shuffle   a new seeded order every epoch, else the data set's order
     * @param seed      seeds the order and the augmentation
     * @param augment   applied to each image first (null or {@link Augment#NONE}: none)
     * @param normalize applied after augmentation (null: the images stay in [0, 1])
     * @param dropLast  leave out a last batch smaller than {@code batchSize}
     * @param prefetch  batches prepared ahead of the consumer (1 or 2 is plenty)
     */
    public record Settings(int batchSize, boolean shuffle, long seed, Augment augment, Normalize normalize,
                           boolean dropLast, int prefetch) {

        public Settings {
            if (batchSize <= 0 || prefetch <= 0) {
                throw new IllegalArgumentException("DataLoader: batch size " + batchSize + " and prefetch " + prefetch
                        + " must be positive");
            }
        }

        /** Shuffled, augmented, normalized, two batches ahead. */
        public static Settings training(int batchSize, long seed, Augment augment, Normalize normalize) {
            return new Settings(batchSize, true, seed, augment, normalize, false, 2);
        }

        /** In order, no augmentation, normalized, two batches ahead. */
        public static Settings evaluation(int batchSize, Normalize normalize) {
            return new Settings(batchSize, false, 0, null, normalize, false, 2);
        }

        /** The same settings with {@code dropLast} set. */
        public Settings withDropLast(boolean drop) {
            return new Settings(batchSize, shuffle, seed, augment, normalize, drop, prefetch);
        }
    }

    private static final AtomicInteger LOADERS = new AtomicInteger();

    private final Dataset data;
    private final Settings settings;
    private final String threadName = "legodnn-data-" + LOADERS.incrementAndGet();
    private ExecutorService executor;
    private volatile Thread thread;
    private boolean closed;

    public DataLoader(Dataset data, Settings settings) {
        Normalize n = settings.normalize();
        if (n != null && n.channels() != data.channels()) {
            throw new IllegalArgumentException("DataLoader: normalization for " + n.channels()
                    + " channels, but the images have " + data.channels());
        }
        Augment a = settings.augment();
        if (a != null && !a.isIdentity() && data.targetKind() != Targets.Kind.CLASSES) {
            throw new IllegalArgumentException("DataLoader: augmentation (crop " + a.padding() + (a.flip() ? ", flip" : "")
                    + ") moves pixels but not the " + data.targetKind().describe() + " of this data set; use Augment.NONE");
        }
        this.data = data;
        this.settings = settings;
    }

    public Dataset dataset() {
        return data;
    }

    public Settings settings() {
        return settings;
    }

    /** Batches per epoch. */
    public int batches() {
        int n = data.size();
        int b = settings.batchSize();
        return settings.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** The samples one epoch yields (all of them unless {@code dropLast} leaves out a remainder). */
    public int samplesPerEpoch() {
        return settings.dropLast() ? batches() * settings.batchSize() : data.size();
    }

    /** The batches of epoch {@code epoch} (0-based; it selects the shuffle order and the augmentation draws). */
    public synchronized Epoch epoch(int epoch) {
        if (closed) {
            throw new IllegalStateException("DataLoader: closed");
        }
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                thread = t;
                return t;
            });
        }
        int[] order = settings.shuffle() ? Shuffle.permutation(data.size(), settings.seed(), epoch) : identity(data.size());
        return new Epoch(epoch, order);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Makes batch {@code b} of an epoch: reads, augments and normalizes its images. */
    Batch make(int epoch, int[] order, int b) {
        int bs = settings.batchSize();
        int from = b * bs;
        int count = Math.min(bs, order.length - from);
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int n = c * h * w;
        float[] images = new float[count * n];
        int[] indices = new int[count];
        Augment augment = settings.augment();
        boolean augmenting = augment != null && !augment.isIdentity();
        float[] scratch = augmenting ? new float[n] : null;
        for (int i = 0; i < count; i++) {
            int index = order[from + i];
            indices[i] = index;
            if (augmenting) {
                data.image(index, scratch, 0);
                augment.apply(scratch, 0, images, i * n, c, h, w, Shuffle.sampleRandom(settings.seed(), epoch, index));
            } else {
                data.image(index, images, i * n);
            }
            if (settings.normalize() != null) {
                settings.normalize().apply(images, i * n, h * w);
            }
        }
        return new Batch(Tensor.of(images, count, c, h, w), data.targets(indices), indices);
    }

    /** The name of this loader's background thread (for diagnostics and tests). */
    public String threadName() {
        return threadName;
    }

    /** Whether the background thread exists and has not ended. */
    public boolean threadAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Stops the background thread and waits for it to end; the loader cannot be used afterwards. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
                Thread t = thread;
                if (t != null) {
                    t.join(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One pass over the data: an iterator of batches that keeps the next {@code prefetch} batches in
     * preparation. Closing it early cancels what was prepared ahead.
     */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {

        private final int epoch;
        private final int[] order;
        private final int total;
        private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
        private int submitted;
        private int taken;

        private Epoch(int epoch, int[] order) {
            this.epoch = epoch;
            this.order = order;
            this.total = batches();
            fill();
        }

        private void fill() {
            while (submitted < total && ahead.size() < settings.prefetch()) {
                int b = submitted++;
                ahead.add(executor.submit(() -> make(epoch, order, b)));
            }
        }

        /** The number of batches in this epoch. */
        public int batches() {
            return DataLoader.this.batches();
        }

        @Override
        public boolean hasNext() {
            return taken < total;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: epoch " + epoch + " has only " + total + " batches");
            }
            Future<Batch> f = ahead.poll();
            Batch batch;
            try {
                batch = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("DataLoader: interrupted while waiting for a batch", e);
            } catch (CancellationException e) {
                throw new IllegalStateException("DataLoader: closed while a batch was being prepared", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("DataLoader: preparing batch " + taken + " failed: " + cause, cause);
            }
            taken++;
            fill();
            return batch;
        }

        /** Cancels the batches prepared ahead; the loader stays usable for another epoch. */
        @Override
        public void close() {
            for (Future<Batch> f : ahead) {
                f.cancel(false);
            }
            ahead.clear();
            taken = total;
            submitted = total;
        }
    }
}
