package org.legodnn.nn.detection;

import java.util.List;
import org.legodnn.nn.data.Box;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * YOLOv3's training loss on a raw output laid out as {@link YoloLayout} says, built from two autograd ops
 * over the whole output so that no slot has to be cut out of it: a target and a weight for every value.
 * <ul>
 *   <li>objectness: binary cross-entropy on the logit for every slot, target 1 for the slots
 *       {@link AnchorAssignment} gives a box and 0 for the others, except that a slot whose predicted box
 *       already overlaps some ground-truth box by IoU above {@value #IGNORE_IOU} is left out (YOLOv3's ignore
 *       rule: a good second guess is not punished);</li>
 *   <li>for assigned slots only: binary cross-entropy of σ(tx), σ(ty) against the centre's offset in its cell,
 *       squared error of tw, th against {@code log(size / anchor)}, and binary cross-entropy of each class
 *       logit against the one-hot class (independent logistic classifiers, as YOLOv3).</li>
 * </ul>
 * Every term has weight 1; the terms are summed over slots and values, then divided by the number of images
 * (a sum per image, averaged over the batch, so the learning rate does not depend on the batch size).
 */
public final class YoloLoss {

    /** Predictions overlapping a ground-truth box by more than this are not trained towards objectness 0. */
    public static final double IGNORE_IOU = 0.5;

    private YoloLoss() {
    }

    /** The loss of {@code output [N, rowLength]} against each image's ground-truth boxes: a scalar with autograd. */
    public static Tensor of(YoloLayout layout, Tensor output, List<List<Box>> truth) {
        if (output.rank() != 2 || output.dim(0) != truth.size()) {
            throw new IllegalArgumentException("detection: the model's output has shape " + Shapes.format(output.shape())
                    + " for " + truth.size() + " labelled images; expected [" + truth.size() + ", "
                    + layout.outputSize(10) + "] (a YOLO output row per image, e.g. yolov3_resnet18 for 10 classes)");
        }
        int n = output.dim(0);
        int row = output.dim(1);
        int classes = layout.classesFor(row, "detection");
        float[] out = output.data();
        float[] target = new float[out.length];
        float[] bceWeight = new float[out.length];
        float[] squareWeight = new float[out.length];
        YoloDecoder decoder = new YoloDecoder(layout, 0f, 1, 1);
        for (int i = 0; i < n; i++) {
            int base = i * row;
            List<Box> boxes = truth.get(i);
            for (int s = 0; s < layout.scales().size(); s++) {
                int g = layout.grid(s);
                for (int a = 0; a < layout.scales().get(s).anchorCount(); a++) {
                    for (int gy = 0; gy < g; gy++) {
                        for (int gx = 0; gx < g; gx++) {
                            int obj = base + layout.index(s, a, 4, gy, gx, classes);
                            bceWeight[obj] = ignored(decoder, out, base, s, a, gy, gx, classes, boxes) ? 0f : 1f;
                        }
                    }
                }
            }
            for (AnchorAssignment.Slot slot : AnchorAssignment.assign(layout, boxes)) {
                if (slot.cls() >= classes) {
                    throw new IllegalArgumentException("detection: a box of class " + slot.cls() + " in image " + i
                            + " for an output of " + classes + " classes");
                }
                int at = base + layout.index(slot.scale(), slot.anchor(), 0, slot.gy(), slot.gx(), classes);
                int g = layout.grid(slot.scale());
                int step = g * g;
                set(target, bceWeight, at, slot.tx());
                set(target, bceWeight, at + step, slot.ty());
                set(target, squareWeight, at + 2 * step, slot.tw());
                set(target, squareWeight, at + 3 * step, slot.th());
                set(target, bceWeight, at + 4 * step, 1f);
                for (int c = 0; c < classes; c++) {
                    set(target, bceWeight, at + (5 + c) * step, c == slot.cls() ? 1f : 0f);
                }
            }
        }
        int[] shape = output.shape();
        Tensor t = Tensor.of(target, shape);
        Tensor bce = Ops.bceWithLogitsSum(output, t, Tensor.of(bceWeight, shape));
        Tensor diff = Ops.sub(output, t);
        Tensor squares = Ops.sum(Ops.mul(Ops.mul(diff, diff), Tensor.of(squareWeight, shape)));
        return Ops.scale(Ops.add(bce, squares), 1f / n);
    }

    private static void set(float[] target, float[] weight, int at, float value) {
        target[at] = value;
        weight[at] = 1f;
    }

    /** Whether the slot's current prediction overlaps a ground-truth box by more than {@link #IGNORE_IOU}. */
    private static boolean ignored(YoloDecoder decoder, float[] out, int base, int s, int a, int gy, int gx,
                                   int classes, List<Box> boxes) {
        if (boxes.isEmpty()) {
            return false;
        }
        Box predicted = decoder.box(out, base, s, a, gy, gx, classes);
        for (Box b : boxes) {
            if (predicted.iou(b) > IGNORE_IOU) {
                return true;
            }
        }
        return false;
    }
}
