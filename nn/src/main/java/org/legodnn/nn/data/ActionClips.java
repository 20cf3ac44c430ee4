package org.legodnn.nn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An action-recognition data set made from a classification one ({@code moving-mnist-actions} from MNIST), so that
 * action recognition is trained and scored on real images with exact labels and nothing to download: each clip is
 * {@value #FRAMES} frames of {@value #SIZE}×{@value #SIZE} in which one digit performs one of eight actions — move
 * left, right, up or down (1–2.5 pixels a frame), rotate clockwise or counter-clockwise (5–12° a frame, from a start
 * within ±30°), grow or shrink (by 4–8% a frame) — from a random start that keeps it on the canvas throughout. The
 * label is the action; the frames are the channels of one image ({@code [FRAMES, SIZE, SIZE]}), so that a clip
 * batches like an image and a model picks the frames it samples.
 *
 * <p>Clip {@code i} is a pure function of (seed, i, the source images), generated when read and never stored.
 */
public final class ActionClips implements Dataset {

    public static final int FRAMES = 8;
    public static final int SIZE = 48;
    /** The actions, in label order. */
    public static final List<String> ACTIONS = List.of("move left", "move right", "move up", "move down",
            "rotate clockwise", "rotate counter-clockwise", "grow", "shrink");

    private final Dataset source;
    private final int size;
    private final long seed;

    /**
     * One generated clip.
     *
     * @param frames {@code FRAMES × SIZE²} values in [0, 1], frame after frame, each row-major
     * @param action the label, an index into {@link #ACTIONS}
     * @param item   the source image drawn
     * @param maps   where the item is in each frame
     */
    public record Clip(float[] frames, int action, int item, List<AffineMap> maps) {
    }

    /**
     * @param source one-channel 28×28-or-smaller images (MNIST)
     * @param size   the number of clips
     * @param seed   selects the clips
     */
    public ActionClips(Dataset source, int size, long seed) {
        if (source.channels() != 1 || source.size() == 0 || source.height() > 28 || source.width() > 28) {
            throw new IllegalArgumentException("ActionClips: the source must be one-channel images of at most 28x28,"
                    + " got " + source.size() + " images of " + source.channels() + "x" + source.height() + "x"
                    + source.width());
        }
        if (size < 0) {
            throw new IllegalArgumentException("ActionClips: size " + size + " must be >= 0");
        }
        this.source = source;
        this.size = size;
        this.seed = seed;
    }

    /** Generates clip {@code index}. */
    public Clip clip(int index) {
        SplittableRandom rnd = random(index);
        int item = rnd.nextInt(source.size());
        int action = rnd.nextInt(ACTIONS.size());
        int h = source.height();
        int w = source.width();
        double cx = w / 2.0;
        double cy = h / 2.0;
        double[] degrees = new double[FRAMES];
        double[] scales = new double[FRAMES];
        double[] xs = new double[FRAMES];
        double[] ys = new double[FRAMES];
        double half = Math.hypot(cx, cy);   // the item's half-diagonal: it fits rotated any way within this radius
        switch (action) {
            case 0, 1, 2, 3 -> {
                double speed = 1 + 1.5 * rnd.nextDouble();
                double travel = speed * (FRAMES - 1);
                double dx = action == 0 ? -1 : action == 1 ? 1 : 0;
                double dy = action == 2 ? -1 : action == 3 ? 1 : 0;
                // Unrotated, scale 1: the centre stays within [w/2, SIZE - w/2] along the way.
                double x0 = start(rnd, cx, SIZE - cx, dx * travel);
                double y0 = start(rnd, cy, SIZE - cy, dy * travel);
                for (int f = 0; f < FRAMES; f++) {
                    scales[f] = 1;
                    xs[f] = x0 + dx * speed * f;
                    ys[f] = y0 + dy * speed * f;
                }
            }
            case 4, 5 -> {
                double step = (5 + 7 * rnd.nextDouble()) * (action == 4 ? 1 : -1);
                double first = (2 * rnd.nextDouble() - 1) * 30;
                double px = half + (SIZE - 2 * half) * rnd.nextDouble();
                double py = half + (SIZE - 2 * half) * rnd.nextDouble();
                for (int f = 0; f < FRAMES; f++) {
                    degrees[f] = first + step * f;
                    scales[f] = 1;
                    xs[f] = px;
                    ys[f] = py;
                }
            }
            default -> {
                double rate = 1.04 + 0.04 * rnd.nextDouble();
                double s0 = action == 6 ? 0.6 + 0.2 * rnd.nextDouble() : 1.1 + 0.25 * rnd.nextDouble();
                double largest = action == 6 ? s0 * Math.pow(rate, FRAMES - 1) : s0;
                double reach = largest * Math.max(cx, cy);
                double px = reach + (SIZE - 2 * reach) * rnd.nextDouble();
                double py = reach + (SIZE - 2 * reach) * rnd.nextDouble();
                for (int f = 0; f < FRAMES; f++) {
                    scales[f] = action == 6 ? s0 * Math.pow(rate, f) : s0 / Math.pow(rate, f);
                    xs[f] = px;
                    ys[f] = py;
                }
            }
        }
        float[] image = source.image(item);
        float[] frames = new float[FRAMES * SIZE * SIZE];
        List<AffineMap> maps = new ArrayList<>();
        float[] frame = new float[SIZE * SIZE];
        for (int f = 0; f < FRAMES; f++) {
            AffineMap map = AffineMap.rotateScale(degrees[f], scales[f], cx, cy, xs[f], ys[f]);
            Arrays.fill(frame, 0f);
            map.warp(image, h, w, frame, SIZE, SIZE);
            System.arraycopy(frame, 0, frames, f * SIZE * SIZE, SIZE * SIZE);
            maps.add(map);
        }
        return new Clip(frames, action, item, List.copyOf(maps));
    }

    /** A start in {@code [lo, hi]} from which moving by {@code travel} stays in it (travel fits: speeds are capped). */
    private static double start(SplittableRandom rnd, double lo, double hi, double travel) {
        double from = travel >= 0 ? lo : lo - travel;
        double to = travel >= 0 ? hi - travel : hi;
        return from + (to - from) * rnd.nextDouble();
    }

    @Override
    public int size() {
        return size;
    }

    /** One channel per frame. */
    @Override
    public int channels() {
        return FRAMES;
    }

    @Override
    public int height() {
        return SIZE;
    }

    @Override
    public int width() {
        return SIZE;
    }

    @Override
    public List<String> classNames() {
        return ACTIONS;
    }

    /** The action of clip {@code index}, drawn as {@link #clip} draws it, without drawing the frames. */
    @Override
    public int label(int index) {
        SplittableRandom rnd = random(index);
        rnd.nextInt(source.size());
        return rnd.nextInt(ACTIONS.size());
    }

    /** The draws that make clip {@code index}: its item, then its action, then the action's parameters. */
    private SplittableRandom random(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("ActionClips: clip " + index + " of " + size);
        }
        return new SplittableRandom(Shuffle.mix(seed ^ 0xAC7L, index));
    }

    @Override
    public void image(int index, float[] dst, int offset) {
        System.arraycopy(clip(index).frames(), 0, dst, offset, FRAMES * SIZE * SIZE);
    }
}
