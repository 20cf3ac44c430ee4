package org.legodnn.nn.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A keypoint data set made from a classification one ({@code fashion-mnist-pose} from Fashion-MNIST), so that pose
 * estimation is trained and scored on real images with exact keypoints and nothing to download: each canvas is
 * black, {@value #SIZE}×{@value #SIZE}, with one item of the source drawn through a random affine map
 * ({@link AffineMap#randomPlacement}: rotation within ±{@value #MAX_DEGREES}°, scale
 * {@value #MIN_SCALE}–{@value #MAX_SCALE}, a translation that keeps the item's corners on the canvas; bilinear
 * sampling). Its {@value #KEYPOINTS} keypoints are where the map sends the item's four corners (top-left,
 * top-right, bottom-right, bottom-left) and its centre, in continuous pixel coordinates; PCK's reference length is
 * the diagonal of the axis-aligned box around the four corners.
 *
 * <p>Canvas {@code i} is a pure function of (seed, i, the source images), generated when read and never stored.
 * Images are labelled with their keypoints ({@link #targets}).
 */
public final class PoseCanvases implements Dataset {

    /** Canvas height and width. */
    public static final int SIZE = 64;
    /** Corners and centre. */
    public static final int KEYPOINTS = 5;
    public static final double MAX_DEGREES = 40;
    public static final double MIN_SCALE = 0.8;
    public static final double MAX_SCALE = 1.6;
    /** The keypoints in the order of {@link Canvas#keypoints}. */
    public static final List<String> KEYPOINT_NAMES = List.of("top-left", "top-right", "bottom-right", "bottom-left",
            "centre");

    private final Dataset source;
    private final int size;
    private final long seed;

    /**
     * One generated canvas.
     *
     * @param pixels    {@code SIZE²} values in [0, 1], row-major
     * @param keypoints {@code [x0, y0, ..., x4, y4]}: the corners clockwise from the top-left, then the centre
     * @param diagonal  the diagonal of the box around the four corners, in pixels
     * @param item      the source image drawn
     */
    public record Canvas(float[] pixels, float[] keypoints, double diagonal, int item) {
    }

    /**
     * @param source one-channel images with a class each (Fashion-MNIST)
     * @param size   the number of canvases
     * @param seed   selects the canvases
     */
    public PoseCanvases(Dataset source, int size, long seed) {
        if (source.channels() != 1 || source.size() == 0) {
            throw new IllegalArgumentException("PoseCanvases: the source must be one-channel images, got "
                    + source.size() + " images of " + source.channels() + " channels");
        }
        if (size < 0) {
            throw new IllegalArgumentException("PoseCanvases: size " + size + " must be >= 0");
        }
        this.source = source;
        this.size = size;
        this.seed = seed;
    }

    /** Generates canvas {@code index}. */
    public Canvas canvas(int index) {
        Placement p = placement(index);
        float[] pixels = new float[SIZE * SIZE];
        p.map().warp(source.image(p.item()), source.height(), source.width(), pixels, SIZE, SIZE);
        return new Canvas(pixels, p.keypoints(), p.diagonal(), p.item());
    }

    /** Which item canvas {@code index} draws and where: everything but the pixels, which cost the most. */
    private record Placement(int item, AffineMap map, float[] keypoints, double diagonal) {
    }

    private Placement placement(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("PoseCanvases: canvas " + index + " of " + size);
        }
        SplittableRandom rnd = new SplittableRandom(Shuffle.mix(seed ^ 0x905EL, index));
        int item = rnd.nextInt(source.size());
        int h = source.height();
        int w = source.width();
        AffineMap map = AffineMap.randomPlacement(rnd, w, h, SIZE, MAX_DEGREES, MIN_SCALE, MAX_SCALE);
        double[][] points = {{0, 0}, {w, 0}, {w, h}, {0, h}, {w / 2.0, h / 2.0}};
        float[] keypoints = new float[2 * KEYPOINTS];
        for (int k = 0; k < KEYPOINTS; k++) {
            double[] p = map.apply(points[k][0], points[k][1]);
            keypoints[2 * k] = (float) p[0];
            keypoints[2 * k + 1] = (float) p[1];
        }
        double[] box = map.bounds(w, h);
        return new Placement(item, map, keypoints, Math.hypot(box[2] - box[0], box[3] - box[1]));
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

    /** The keypoints' names: a keypoint data set's "classes" are its keypoints, one heatmap each. */
    @Override
    public List<String> classNames() {
        return KEYPOINT_NAMES;
    }

    /** No class per image: the labels are keypoints ({@link #targets}). */
    @Override
    public int label(int index) {
        throw new UnsupportedOperationException("PoseCanvases: labelled with keypoints, not a class; read targets()");
    }

    @Override
    public Targets.Kind targetKind() {
        return Targets.Kind.KEYPOINTS;
    }

    @Override
    public Targets targets(int[] indices) {
        float[] points = new float[indices.length * KEYPOINTS * 2];
        float[] reference = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Placement p = placement(indices[i]);
            System.arraycopy(p.keypoints(), 0, points, i * KEYPOINTS * 2, KEYPOINTS * 2);
            reference[i] = (float) p.diagonal();
        }
        return new Targets.Keypoints(points, reference, KEYPOINTS);
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        System.arraycopy(canvas(index).pixels(), 0, dst, offset, SIZE * SIZE);
    }
}
