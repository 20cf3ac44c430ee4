package org.legodnn.nn.models;

import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Temporal Segment Networks (Wang et al., ECCV 2016), the action model the original LegoDNN scales, with its
 * two streams: a clip is cut into {@code segments} equal segments and one snippet is taken from the middle of
 * each; the RGB stream ({@code rgb}) classifies the snippet's frame, the RGB-difference stream ({@code diff})
 * the two frame differences around it (the motion TSN reads without optical flow), and the clip's logits are the
 * average of all snippets' logits over both streams (TSN's average consensus).
 *
 * <p>A clip arrives as one image whose channels are its frames ({@code [N, T, H, W]}, as {@code
 * moving-mnist-actions} gives them). Each stream runs all its snippets as one batch — the segments are folded into
 * the batch ({@code [N·segments, c, H, W]}) — so each stream is one ordinary CNN that LegoDNN cuts into blocks.
 *
 * <p>{@code tsn_resnet18}: both streams are ResNet-18 at width 12 (stages of 12, 24, 48, 96 channels), 3 segments;
 * 1.6 MB of weights per stream. With 8 frames the snippets are frames 1, 4 and 6 (the middle of segments [0, 2.7),
 * [2.7, 5.3), [5.3, 8)) and the differences 1−0, 2−1; 4−3, 5−4; 6−5, 7−6.
 */
public final class Tsn extends Module {

    /** The segments of {@code tsn_resnet18}, as the TSN paper's. */
    public static final int DEFAULT_SEGMENTS = 3;
    /** The streams' backbone width of {@code tsn_resnet18}. */
    public static final int DEFAULT_WIDTH = 12;
    /** Frame differences per snippet in the RGB-difference stream. */
    public static final int DIFFERENCES = 2;

    private final int frames;
    private final int[] snippets;
    private final Module rgb;
    private final Module diff;

    /** {@code tsn_resnet18} for clips of {@code frames} frames and {@code actions} classes. */
    public static Tsn tsnResnet18(int frames, int actions) {
        int[] stages = {2, 2, 2, 2};
        return new Tsn(frames, DEFAULT_SEGMENTS,
                ResNet.classifier(ResNet.Block.BASIC, stages, 1, actions, DEFAULT_WIDTH),
                ResNet.classifier(ResNet.Block.BASIC, stages, DIFFERENCES, actions, DEFAULT_WIDTH));
    }

    /**
     * @param frames frames per clip (the input's channels)
     * @param segments snippets per clip
     * @param rgb a classifier of one frame ({@code [M, 1, H, W] → [M, classes]})
     * @param diff a classifier of {@link #DIFFERENCES} frame differences with the same classes
     */
    public Tsn(int frames, int segments, Module rgb, Module diff) {
        if (segments <= 0 || frames < segments + 2) {
            throw new IllegalArgumentException("TSN: " + frames + " frames, " + segments + " segments (expected a"
                    + " positive count and at least segments + 2 frames, so that every snippet has a frame on each"
                    + " side)");
        }
        this.frames = frames;
        this.snippets = snippetFrames(frames, segments);
        this.rgb = registerModule("rgb", rgb);
        this.diff = registerModule("diff", diff);
    }

    /**
     * The middle frame of each of {@code segments} equal segments of {@code frames} frames, moved inwards by one
     * where it is the first or last frame, so that the frames on both sides exist.
     */
    static int[] snippetFrames(int frames, int segments) {
        int[] t = new int[segments];
        for (int k = 0; k < segments; k++) {
            int middle = (int) Math.floor((k + 0.5) * frames / segments);
            t[k] = Math.min(Math.max(middle, 1), frames - 2);
        }
        return t;
    }

    /** The frame each segment's snippet is centred on. */
    public int[] snippets() {
        return snippets.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != frames) {
            throw new IllegalArgumentException("TSN: expected a clip [N, " + frames + ", H, W] (frames as channels),"
                    + " got " + Shapes.format(x.shape()));
        }
        int h = x.dim(2);
        int w = x.dim(3);
        int segments = snippets.length;
        Tensor[] middle = new Tensor[segments];
        Tensor[] motion = new Tensor[segments];
        for (int k = 0; k < segments; k++) {
            int t = snippets[k];
            middle[k] = Ops.narrow(x, 1, t, 1);
            motion[k] = Ops.sub(Ops.narrow(x, 1, t, DIFFERENCES), Ops.narrow(x, 1, t - 1, DIFFERENCES));
        }
        Tensor rgbScores = rgb.call(Ops.reshape(Ops.concat(middle), -1, 1, h, w));
        Tensor diffScores = diff.call(Ops.reshape(Ops.concat(motion), -1, DIFFERENCES, h, w));
        Tensor perSnippet = Ops.add(rgbScores, diffScores);          // [N·segments, classes]
        int classes = perSnippet.dim(1);
        Tensor grouped = Ops.reshape(perSnippet, -1, segments, classes);
        Tensor sum = Ops.narrow(grouped, 1, 0, 1);
        for (int k = 1; k < segments; k++) {
            sum = Ops.add(sum, Ops.narrow(grouped, 1, k, 1));
        }
        return Ops.reshape(Ops.scale(sum, 1f / (2 * segments)), -1, classes);
    }
}
