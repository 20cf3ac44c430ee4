package org.legodnn.nn.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.legodnn.nn.data.Box;

/**
 * Average precision of one class's detections, the number detection is scored by, in the two ways the field
 * computes it, so that figures here compare with published ones:
 * <ul>
 *   <li>{@link #voc}: PASCAL VOC's all-point interpolated AP (the devkit since 2010, {@code voc_ap} with
 *       {@code use_07_metric=False}). Detections of the class over all images, highest score first, each
 *       matched to the ground-truth box it overlaps most in its image: a true positive when that IoU reaches
 *       the threshold and the box is not taken yet, otherwise (a duplicate, or too little overlap) a false
 *       positive. AP is the area under the precision-recall curve after precision is made non-increasing.</li>
 *   <li>{@link #coco}: COCO's AP as pycocotools computes it ({@code COCOeval.evaluateImg} and
 *       {@code accumulate}, area "all", at most 100 detections per image and class): each detection, highest
 *       score first within its image, takes the best-overlapping ground-truth box not taken yet whose IoU
 *       reaches the threshold; precision made non-increasing is sampled at 101 recall points 0, 0.01, ..., 1
 *       and averaged. {@link #cocoThresholds()} are its ten IoU thresholds 0.50:0.05:0.95.</li>
 * </ul>
 * Both differ from the originals only where this project's boxes differ from theirs: coordinates are
 * continuous pixel edges ({@link Box}), so VOC's "+1" on widths does not apply, and a match needs IoU
 * {@code >=} the threshold in both (the VOC devkit writes {@code >}; the two differ only on exact ties).
 * Ties in score keep the input order (image by image, then as listed), as pycocotools' stable sort does.
 *
 * <p>Both return {@code NaN} for a class without ground-truth boxes (callers leave it out of their mean, as
 * COCO does) and 0 for a class with ground truth and no detections.
 */
public final class AveragePrecision {

    /** At most this many detections per image and class count, highest scores first (COCO's {@code maxDets}). */
    public static final int COCO_MAX_DETECTIONS = 100;

    private static final double[] COCO_IOUS = linspace(0.5, 0.95, 10);
    private static final double[] COCO_RECALLS = linspace(0.0, 1.0, 101);

    private AveragePrecision() {
    }

    /** COCO's IoU thresholds 0.50, 0.55, ..., 0.95, computed as {@code numpy.linspace} computes them. */
    public static double[] cocoThresholds() {
        return COCO_IOUS.clone();
    }

    /**
     * VOC all-point AP of class {@code cls} at IoU {@code threshold}.
     *
     * @param truth     ground-truth boxes per image
     * @param predicted detections per image (any classes; only {@code cls} is read), same number of images
     */
    public static double voc(List<List<Box>> truth, List<List<Box>> predicted, int cls, double threshold) {
        requireImages(truth, predicted);
        List<List<Box>> gts = ofClass(truth, cls);
        int positives = 0;
        for (List<Box> g : gts) {
            positives += g.size();
        }
        if (positives == 0) {
            return Double.NaN;
        }
        List<Detection> dets = new ArrayList<>();
        for (int img = 0; img < predicted.size(); img++) {
            for (Box b : predicted.get(img)) {
                if (b.cls() == cls) {
                    dets.add(new Detection(img, b));
                }
            }
        }
        dets.sort(BY_SCORE);
        List<boolean[]> taken = new ArrayList<>();
        for (List<Box> g : gts) {
            taken.add(new boolean[g.size()]);
        }
        int n = dets.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        int tp = 0;
        int fp = 0;
        for (int d = 0; d < n; d++) {
            Detection det = dets.get(d);
            List<Box> g = gts.get(det.image);
            double best = Double.NEGATIVE_INFINITY;
            int at = -1;
            for (int j = 0; j < g.size(); j++) {
                double iou = det.box.iou(g.get(j));
                if (iou > best) {
                    best = iou;
                    at = j;
                }
            }
            if (at >= 0 && best >= threshold && !taken.get(det.image)[at]) {
                taken.get(det.image)[at] = true;
                tp++;
            } else {
                fp++;
            }
            recall[d] = (double) tp / positives;
            precision[d] = (double) tp / Math.max(tp + fp, Math.ulp(1.0));
        }
        return allPointArea(recall, precision);
    }

    /** {@code voc_ap}: precision made non-increasing from the right, summed over the recall steps. */
    static double allPointArea(double[] recall, double[] precision) {
        int n = recall.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        mrec[n + 1] = 1;
        System.arraycopy(recall, 0, mrec, 1, n);
        System.arraycopy(precision, 0, mpre, 1, n);
        for (int i = n + 1; i > 0; i--) {
            mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
        }
        double ap = 0;
        for (int i = 0; i < n + 1; i++) {
            if (mrec[i + 1] != mrec[i]) {
                ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
            }
        }
        return ap;
    }

    /** COCO 101-point AP of class {@code cls} at IoU {@code threshold} (see the class comment). */
    public static double coco(List<List<Box>> truth, List<List<Box>> predicted, int cls, double threshold) {
        return coco(truth, predicted, cls, new double[] {threshold})[0];
    }

    /** COCO 101-point AP of class {@code cls} at each of {@code thresholds}, matching each image once per threshold. */
    public static double[] coco(List<List<Box>> truth, List<List<Box>> predicted, int cls, double[] thresholds) {
        requireImages(truth, predicted);
        int t = thresholds.length;
        List<List<Box>> gts = ofClass(truth, cls);
        int positives = 0;
        for (List<Box> g : gts) {
            positives += g.size();
        }
        double[] ap = new double[t];
        if (positives == 0) {
            java.util.Arrays.fill(ap, Double.NaN);
            return ap;
        }
        // evaluateImg: per image, the class's detections by score (at most maxDets), matched at every threshold.
        List<double[]> scores = new ArrayList<>();
        List<boolean[][]> matched = new ArrayList<>();
        for (int img = 0; img < predicted.size(); img++) {
            List<Detection> dets = new ArrayList<>();
            for (Box b : predicted.get(img)) {
                if (b.cls() == cls) {
                    dets.add(new Detection(img, b));
                }
            }
            dets.sort(BY_SCORE);
            if (dets.size() > COCO_MAX_DETECTIONS) {
                dets = dets.subList(0, COCO_MAX_DETECTIONS);
            }
            List<Box> g = gts.get(img);
            double[] s = new double[dets.size()];
            boolean[][] m = new boolean[t][dets.size()];
            for (int k = 0; k < t; k++) {
                boolean[] taken = new boolean[g.size()];
                for (int d = 0; d < dets.size(); d++) {
                    double iou = Math.min(thresholds[k], 1 - 1e-10);
                    int at = -1;
                    for (int j = 0; j < g.size(); j++) {
                        if (taken[j]) {
                            continue;
                        }
                        double o = dets.get(d).box.iou(g.get(j));
                        if (o < iou) {
                            continue;
                        }
                        iou = o;
                        at = j;
                    }
                    if (at >= 0) {
                        taken[at] = true;
                        m[k][d] = true;
                    }
                }
            }
            for (int d = 0; d < dets.size(); d++) {
                s[d] = dets.get(d).box.score();
            }
            scores.add(s);
            matched.add(m);
        }
        // accumulate: all images' detections by score (stable), precision at the 101 recall points.
        List<int[]> order = new ArrayList<>(); // (image, detection)
        for (int img = 0; img < scores.size(); img++) {
            for (int d = 0; d < scores.get(img).length; d++) {
                order.add(new int[] {img, d});
            }
        }
        order.sort((a, b) -> byScoreDescending(scores.get(a[0])[a[1]], scores.get(b[0])[b[1]]));
        int n = order.size();
        for (int k = 0; k < t; k++) {
            double[] recall = new double[n];
            double[] precision = new double[n];
            double tp = 0;
            double fp = 0;
            for (int i = 0; i < n; i++) {
                int[] o = order.get(i);
                if (matched.get(o[0])[k][o[1]]) {
                    tp++;
                } else {
                    fp++;
                }
                recall[i] = tp / positives;
                precision[i] = tp / (fp + tp + Math.ulp(1.0));
            }
            for (int i = n - 1; i > 0; i--) {
                if (precision[i] > precision[i - 1]) {
                    precision[i - 1] = precision[i];
                }
            }
            double sum = 0;
            for (double r : COCO_RECALLS) {
                int at = searchLeft(recall, r);
                sum += at < n ? precision[at] : 0;
            }
            ap[k] = sum / COCO_RECALLS.length;
        }
        return ap;
    }

    /** The first index whose value is {@code >= x} in ascending {@code sorted} (numpy's searchsorted, side left). */
    private static int searchLeft(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {@code numpy.linspace(start, stop, num)}: {@code start + i × (stop − start)/(num − 1)}, the last exactly stop. */
    static double[] linspace(double start, double stop, int num) {
        double step = (stop - start) / (num - 1);
        double[] out = new double[num];
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }

    private static List<List<Box>> ofClass(List<List<Box>> boxes, int cls) {
        List<List<Box>> out = new ArrayList<>(boxes.size());
        for (List<Box> img : boxes) {
            List<Box> mine = new ArrayList<>();
            for (Box b : img) {
                if (b.cls() == cls) {
                    mine.add(b);
                }
            }
            out.add(mine);
        }
        return out;
    }

    private static void requireImages(List<List<Box>> truth, List<List<Box>> predicted) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException("AveragePrecision: " + predicted.size() + " images of detections for "
                    + truth.size() + " images of ground truth");
        }
    }

    private record Detection(int image, Box box) {
    }

    /** Higher score first; equal scores (0.0 and -0.0 too) keep their order. */
    private static int byScoreDescending(double a, double b) {
        return a > b ? -1 : a < b ? 1 : 0;
    }

    private static final Comparator<Detection> BY_SCORE = (a, b) -> byScoreDescending(a.box.score(), b.box.score());
}
