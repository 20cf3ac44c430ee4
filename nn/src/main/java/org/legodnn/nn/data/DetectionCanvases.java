package org.legodnn.nn.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An object-detection data set made from a classification one ({@code mnist-det} from MNIST), so that
 * detection is trained and scored on real images with exact boxes and nothing to download: each canvas is
 * black, {@value #SIZE}×{@value #SIZE}, with 1–4 source images pasted at random positions (wholly inside),
 * each resized to a square of side 22–56 pixels (uniform), bright pixels kept where two overlap (maximum).
 *
 * <p>Boxes: each item's tight box, the smallest box holding every pixel it lights (byte above 0) after
 * resizing, in continuous pixel edges ({@link Box}), with the item's class. Items are placed so that every
 * two boxes overlap by IoU below {@value #MAX_IOU}: each item gets up to {@value #ATTEMPTS} random placements,
 * and a canvas whose next item finds none keeps the items it has (at least one).
 *
 * <p>Canvas {@code i} is a pure function of (seed, i, the source images), generated when read and never
 * stored: the same seed and source give the same bytes and boxes, on any thread and any JVM.
 */
public final class DetectionCanvases implements Dataset {

    /** Canvas height and width. */
    public static final int SIZE = 96;
    /** The smallest and largest side of a pasted item. */
    public static final int MIN_SIDE = 22;
    public static final int MAX_SIDE = 56;
    /** Every two boxes of a canvas overlap by less than this. */
    public static final double MAX_IOU = 0.3;
    static final int ATTEMPTS = 50;

    private final Dataset source;
    private final int size;
    private final long seed;

    /** One generated canvas: {@code SIZE²} pixel bytes, row-major, and its boxes (score 1). */
    public record Canvas(byte[] pixels, List<Box> boxes) {
    }

    /**
     * @param source one-channel images with a class each (MNIST)
     * @param size   the number of canvases
     * @param seed   selects the canvases
     */
    public DetectionCanvases(Dataset source, int size, long seed) {
        if (source.channels() != 1 || source.targetKind() != Targets.Kind.CLASSES || source.size() == 0) {
            throw new IllegalArgumentException("DetectionCanvases: the source must be one-channel classified images,"
                    + " got " + source.size() + " images of " + source.channels() + " channels with "
                    + source.targetKind().describe());
        }
        if (size < 0) {
            throw new IllegalArgumentException("DetectionCanvases: size " + size + " must be >= 0");
        }
        this.source = source;
        this.size = size;
        this.seed = seed;
    }

    /** Generates canvas {@code index}. */
    public Canvas canvas(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("DetectionCanvases: canvas " + index + " of " + size);
        }
        SplittableRandom rnd = new SplittableRandom(Shuffle.mix(seed ^ 0xDE7L, index));
        byte[] pixels = new byte[SIZE * SIZE];
        List<Box> boxes = new ArrayList<>();
        int wanted = 1 + rnd.nextInt(4);
        for (int k = 0; k < wanted; k++) {
            boolean placed = false;
            for (int attempt = 0; attempt < ATTEMPTS && !placed; attempt++) {
                int src = rnd.nextInt(source.size());
                int side = MIN_SIDE + rnd.nextInt(MAX_SIDE - MIN_SIDE + 1);
                int x0 = rnd.nextInt(SIZE - side + 1);
                int y0 = rnd.nextInt(SIZE - side + 1);
                int[] item = ScaledItem.of(source, src, side);
                Box box = tightBox(item, side, x0, y0, source.label(src));
                if (box == null || overlapsTooMuch(box, boxes)) {
                    continue;
                }
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        int p = (y0 + y) * SIZE + x0 + x;
                        int v = item[y * side + x];
                        if (v > (pixels[p] & 0xff)) {
                            pixels[p] = (byte) v;
                        }
                    }
                }
                boxes.add(box);
                placed = true;
            }
            if (!placed && !boxes.isEmpty()) {
                break;
            }
        }
        if (boxes.isEmpty()) {
            throw new IllegalStateException("DetectionCanvases: canvas " + index + " got no item in " + ATTEMPTS
                    + " attempts (are the source images all black?)");
        }
        return new Canvas(pixels, List.copyOf(boxes));
    }

    /** The box around the item's lit pixels, placed at (x0, y0); null when none is lit. */
    private static Box tightBox(int[] item, int side, int x0, int y0, int cls) {
        int minX = side;
        int minY = side;
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (item[y * side + x] > 0) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        if (maxX < 0) {
            return null;
        }
        return Box.truth(cls, x0 + minX, y0 + minY, x0 + maxX + 1, y0 + maxY + 1);
    }

    private static boolean overlapsTooMuch(Box box, List<Box> placed) {
        for (Box b : placed) {
            if (box.iou(b) >= MAX_IOU) {
                return true;
            }
        }
        return false;
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

    /** The source's classes. */
    @Override
    public List<String> classNames() {
        return source.classNames();
    }

    /** No class per image: the labels are boxes ({@link #targets}). */
    @Override
    public int label(int index) {
        throw new UnsupportedOperationException("DetectionCanvases: labelled with boxes, not one class per image;"
                + " read targets()");
    }

    @Override
    public Targets.Kind targetKind() {
        return Targets.Kind.BOXES;
    }

    @Override
    public Targets targets(int[] indices) {
        List<List<Box>> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(canvas(i).boxes());
        }
        return new Targets.Boxes(out);
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        byte[] pixels = canvas(index).pixels();
        for (int p = 0; p < pixels.length; p++) {
            dst[offset + p] = (pixels[p] & 0xff) / 255f;
        }
    }
}
