package org.legodnn.nn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A semantic-segmentation data set made from a classification one ({@code fashion-mnist-seg} from
 * Fashion-MNIST), so that segmentation is trained and scored on real images with exact labels and nothing
 * to download: each canvas is black, {@value #SIZE}×{@value #SIZE}, with 1–3 items of the source pasted at
 * random positions (wholly inside), each scaled by a factor drawn uniformly from 0.75–1.5 (side
 * {@code round(28 × factor)}), later items on top.
 *
 * <p>Labels, per pixel: 0 for background, {@code c + 1} where an item of class {@code c} has a pixel brighter
 * than 0.2 (a byte above 51), the topmost such item winning; {@code classes() = source classes + 1}. Image
 * values: where an item's pixel is above 0.2 it replaces what is beneath; its fainter pixels only brighten
 * (maximum), so an item's dark border does not cut into the items below it.
 *
 * <p>Canvas {@code i} is a pure function of (seed, i, the source images), generated when read and never
 * stored: the same seed and source give the same bytes, on any thread and any JVM. Items are drawn from the
 * whole source (with replacement), so train canvases come from the train split and test canvases from the
 * test split when each is made from its own split.
 */
public final class SegmentationCanvases implements Dataset {

    /** Canvas height and width. */
    public static final int SIZE = 64;
    /** A pixel belongs to an item when its byte exceeds this (0.2 × 255). */
    static final int ITEM_THRESHOLD = 51;

    private final Dataset source;
    private final int size;
    private final long seed;
    private final List<String> classNames;

    /** One generated canvas: {@code SIZE²} pixel bytes and labels, row-major, and how many items it holds. */
    public record Canvas(byte[] pixels, byte[] labels, int items) {
    }

    /**
     * @param source one-channel images with a class each (Fashion-MNIST)
     * @param size   the number of canvases
     * @param seed   selects the canvases
     */
    public SegmentationCanvases(Dataset source, int size, long seed) {
        if (source.channels() != 1 || source.targetKind() != Targets.Kind.CLASSES || source.size() == 0) {
            throw new IllegalArgumentException("SegmentationCanvases: the source must be one-channel classified images,"
                    + " got " + source.size() + " images of " + source.channels() + " channels with "
                    + source.targetKind().describe());
        }
        if (Math.round(source.height() * 1.5) > SIZE || Math.round(source.width() * 1.5) > SIZE) {
            throw new IllegalArgumentException("SegmentationCanvases: source images of " + source.height() + "x"
                    + source.width() + " do not fit a " + SIZE + "x" + SIZE + " canvas at scale 1.5");
        }
        if (size < 0) {
            throw new IllegalArgumentException("SegmentationCanvases: size " + size + " must be >= 0");
        }
        this.source = source;
        this.size = size;
        this.seed = seed;
        List<String> names = new ArrayList<>();
        names.add("background");
        names.addAll(source.classNames());
        this.classNames = List.copyOf(names);
    }

    /** Generates canvas {@code index}. */
    public Canvas canvas(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("SegmentationCanvases: canvas " + index + " of " + size);
        }
        SplittableRandom rnd = new SplittableRandom(Shuffle.mix(seed ^ 0x5E6L, index));
        byte[] pixels = new byte[SIZE * SIZE];
        byte[] labels = new byte[SIZE * SIZE];
        int items = 1 + rnd.nextInt(3);
        for (int k = 0; k < items; k++) {
            int src = rnd.nextInt(source.size());
            double factor = 0.75 + 0.75 * rnd.nextDouble();
            int side = (int) Math.round(source.height() * factor);
            int x0 = rnd.nextInt(SIZE - side + 1);
            int y0 = rnd.nextInt(SIZE - side + 1);
            int label = source.label(src) + 1;
            int[] item = ScaledItem.of(source, src, side);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int v = item[y * side + x];
                    int p = (y0 + y) * SIZE + x0 + x;
                    if (v > ITEM_THRESHOLD) {
                        pixels[p] = (byte) v;
                        labels[p] = (byte) label;
                    } else if (v > (pixels[p] & 0xff)) {
                        pixels[p] = (byte) v;
                    }
                }
            }
        }
        return new Canvas(pixels, labels, items);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int height() {
        return SIZE;
    }

    @Override
    public int width() {
        return SIZE;
    }

    /** "background", then the source's classes. */
    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** No class per image: the labels are per pixel ({@link #targets}). */
    @Override
    public int label(int index) {
        throw new UnsupportedOperationException("SegmentationCanvases: labelled per pixel, not per image; read targets()");
    }

    @Override
    public Targets.Kind targetKind() {
        return Targets.Kind.PIXELS;
    }

    @Override
    public Targets targets(int[] indices) {
        int n = SIZE * SIZE;
        int[] labels = new int[indices.length * n];
        for (int i = 0; i < indices.length; i++) {
            byte[] l = canvas(indices[i]).labels();
            for (int p = 0; p < n; p++) {
                labels[i * n + p] = l[p];
            }
        }
        return new Targets.Pixels(labels, indices.length, SIZE, SIZE);
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        byte[] pixels = canvas(index).pixels();
        for (int p = 0; p < pixels.length; p++) {
            dst[offset + p] = (pixels[p] & 0xff) / 255f;
        }
    }
}
