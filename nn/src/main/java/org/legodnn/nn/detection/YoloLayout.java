package org.legodnn.nn.detection;

import java.util.Arrays;
import java.util.List;

/**
 * Where each number of a YOLOv3-style detector's raw output lives, so that the loss, the decoder and any
 * re-implementation read the same layout: the heads of all scales, each {@code [N, A·(5 + C), G, G]} as its
 * last 1×1 convolution writes it (channel {@code a·(5 + C) + k}, {@code k} = 0 tx, 1 ty, 2 tw, 3 th,
 * 4 objectness, 5… class logits), flattened per image and concatenated in the order of {@link #scales()}:
 * the output is {@code [N, Σ A·(5 + C)·G²]}, in PyTorch {@code torch.cat([h.flatten(1) for h in heads], 1)}.
 * One flat output keeps the model a one-output graph (tracing, ONNX export, LegoDNN's blocks) while the
 * decoding stays outside it.
 *
 * <p>A box is decoded as YOLOv3 does: centre {@code ((gx + σ(tx))·stride, (gy + σ(ty))·stride)}, size
 * {@code (aw·e^tw, ah·e^th)} for anchor {@code (aw, ah)} in pixels, confidence {@code σ(obj)·σ(class)}.
 *
 * @param imageSize the square input's side in pixels
 * @param scales    the heads, finest first
 */
public record YoloLayout(int imageSize, List<Scale> scales) {

    /**
     * One head: its stride and its anchors in pixels, {@code anchors[a] = {w, h}}.
     *
     * @param stride input pixels per grid cell
     * @param anchors the anchor shapes of this head, {@code {w, h}} each
     */
    public record Scale(int stride, float[][] anchors) {

        public Scale {
            if (stride <= 0 || anchors.length == 0) {
                throw new IllegalArgumentException("YoloLayout.Scale: stride " + stride + " with " + anchors.length
                        + " anchors (expected a positive stride and at least one anchor)");
            }
            for (float[] a : anchors) {
                if (a.length != 2 || !(a[0] > 0 && a[1] > 0)) {
                    throw new IllegalArgumentException("YoloLayout.Scale: anchor " + Arrays.toString(a)
                            + " (expected {w, h}, both positive)");
                }
            }
            anchors = Arrays.stream(anchors).map(float[]::clone).toArray(float[][]::new);
        }

        @Override
        public float[][] anchors() {
            return Arrays.stream(anchors).map(float[]::clone).toArray(float[][]::new);
        }

        public float anchorWidth(int a) {
            return anchors[a][0];
        }

        public float anchorHeight(int a) {
            return anchors[a][1];
        }

        public int anchorCount() {
            return anchors.length;
        }
    }

    /**
     * {@code yolov3_resnet18} on {@code mnist-det}: 96×96 canvases, heads at strides 8 (12×12 grid) and 16
     * (6×6), three anchors each, the six made by {@link AnchorKMeans} on the 24,907 boxes of the 10,000 training
     * canvases (shipped MNIST subset, seed 1): mean best IoU 0.823, the smallest three at stride 8. Made with
     * {@code java --add-modules jdk.incubator.vector -cp cli/target/legodnn-cli.jar
     * org.legodnn.nn.detection.AnchorKMeans mnist-det 6}.
     */
    public static final YoloLayout MNIST_DET = new YoloLayout(96, List.of(
            new Scale(8, new float[][] {{10.5f, 21.2f}, {17.3f, 19.6f}, {18.1f, 29.4f}}),
            new Scale(16, new float[][] {{25.1f, 26.1f}, {26.4f, 35.3f}, {35.4f, 37.2f}})));

    public YoloLayout {
        if (imageSize <= 0 || scales.isEmpty()) {
            throw new IllegalArgumentException("YoloLayout: image size " + imageSize + " with " + scales.size()
                    + " scales (expected a positive size and at least one scale)");
        }
        for (Scale s : scales) {
            if (imageSize % s.stride() != 0) {
                throw new IllegalArgumentException("YoloLayout: image size " + imageSize + " is not a multiple of stride "
                        + s.stride());
            }
        }
        scales = List.copyOf(scales);
    }

    /** The grid side of scale {@code s}: {@code imageSize / stride}. */
    public int grid(int s) {
        return imageSize / scales.get(s).stride();
    }

    /** Output values of scale {@code s} per image: {@code A·(5 + C)·G²}. */
    public int scaleSize(int s, int classes) {
        int g = grid(s);
        return scales.get(s).anchorCount() * (5 + classes) * g * g;
    }

    /** Where scale {@code s} starts in an image's output row. */
    public int scaleOffset(int s, int classes) {
        int offset = 0;
        for (int i = 0; i < s; i++) {
            offset += scaleSize(i, classes);
        }
        return offset;
    }

    /** Output values per image. */
    public int outputSize(int classes) {
        return scaleOffset(scales.size(), classes);
    }

    /**
     * The index in an image's output row of field {@code k} (0 tx, 1 ty, 2 tw, 3 th, 4 objectness, 5 + c class
     * c) of anchor {@code a} at cell (gx, gy) of scale {@code s}.
     */
    public int index(int s, int a, int k, int gy, int gx, int classes) {
        int g = grid(s);
        return scaleOffset(s, classes) + ((a * (5 + classes) + k) * g + gy) * g + gx;
    }

    /** Anchors over all scales. */
    public int anchorCount() {
        return scales.stream().mapToInt(Scale::anchorCount).sum();
    }

    /**
     * The number of classes an output row of {@code rowLength} values encodes.
     *
     * @throws IllegalArgumentException naming the expected lengths when no class count fits
     */
    public int classesFor(int rowLength, String who) {
        int perClass = 0;
        int fixed = 0;
        for (int s = 0; s < scales.size(); s++) {
            int cells = scales.get(s).anchorCount() * grid(s) * grid(s);
            perClass += cells;
            fixed += 5 * cells;
        }
        if (rowLength <= fixed || (rowLength - fixed) % perClass != 0) {
            throw new IllegalArgumentException(who + ": an output row of " + rowLength + " values does not fit the"
                    + " YOLO layout of " + imageSize + "x" + imageSize + " images with strides " + strides()
                    + " (expected " + fixed + " + " + perClass + " per class, e.g. " + outputSize(10)
                    + " for 10 classes)");
        }
        return (rowLength - fixed) / perClass;
    }

    private List<Integer> strides() {
        return scales.stream().map(Scale::stride).toList();
    }
}
