package org.legodnn.nn.detection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.legodnn.nn.data.Box;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Targets;

/**
 * Chooses a detector's anchor shapes from the training boxes, as YOLOv2/v3 do, so that every object starts
 * close to some anchor and the log-space size each head must predict stays small: k-means on the boxes'
 * (width, height) with the distance {@code 1 − IoU} of the two shapes centred on one point (so a large box
 * does not pull the centroids more than a small one), centroids the mean of their members. Deterministic:
 * the first centroids are the boxes at evenly spaced quantiles of area, and ties go to the first centroid.
 *
 * <p>{@code main} prints the anchors of a data set's training split ({@code mnist-det} by default): the
 * anchors in {@link YoloLayout#MNIST_DET} were made with it (see that constant for the command).
 */
public final class AnchorKMeans {

    /** The result: centroids as {@code {w, h}} sorted by area, and the mean over boxes of their best IoU. */
    public record Result(float[][] anchors, double meanIoU, int iterations) {
    }

    private AnchorKMeans() {
    }

    /** IoU of two shapes centred on the same point. */
    public static double shapeIoU(double w1, double h1, double w2, double h2) {
        double inter = Math.min(w1, w2) * Math.min(h1, h2);
        return inter / (w1 * h1 + w2 * h2 - inter);
    }

    /**
     * k clusters of the shapes {@code wh[i] = {w, h}} (each positive).
     *
     * @throws IllegalArgumentException when there are fewer shapes than clusters
     */
    public static Result fit(float[][] wh, int k, int maxIterations) {
        if (k <= 0 || wh.length < k) {
            throw new IllegalArgumentException("AnchorKMeans: " + k + " clusters of " + wh.length
                    + " boxes (expected 1 <= k <= boxes)");
        }
        Integer[] byArea = new Integer[wh.length];
        for (int i = 0; i < wh.length; i++) {
            if (!(wh[i][0] > 0 && wh[i][1] > 0)) {
                throw new IllegalArgumentException("AnchorKMeans: box " + i + " has size " + wh[i][0] + "x" + wh[i][1]
                        + " (expected positive width and height)");
            }
            byArea[i] = i;
        }
        Arrays.sort(byArea, Comparator.comparingDouble(i -> (double) wh[i][0] * wh[i][1]));
        double[][] c = new double[k][];
        for (int j = 0; j < k; j++) {
            float[] b = wh[byArea[(int) ((j + 0.5) * wh.length / k)]];
            c[j] = new double[] {b[0], b[1]};
        }
        int[] member = new int[wh.length];
        Arrays.fill(member, -1);
        int iterations = 0;
        boolean changed = true;
        while (changed && iterations < maxIterations) {
            changed = false;
            iterations++;
            for (int i = 0; i < wh.length; i++) {
                int best = nearest(c, wh[i]);
                if (best != member[i]) {
                    member[i] = best;
                    changed = true;
                }
            }
            double[][] sum = new double[k][3];
            for (int i = 0; i < wh.length; i++) {
                sum[member[i]][0] += wh[i][0];
                sum[member[i]][1] += wh[i][1];
                sum[member[i]][2]++;
            }
            for (int j = 0; j < k; j++) {
                if (sum[j][2] > 0) {
                    c[j] = new double[] {sum[j][0] / sum[j][2], sum[j][1] / sum[j][2]};
                }
            }
        }
        double iou = 0;
        for (float[] b : wh) {
            double best = 0;
            for (double[] cj : c) {
                best = Math.max(best, shapeIoU(b[0], b[1], cj[0], cj[1]));
            }
            iou += best;
        }
        Arrays.sort(c, Comparator.comparingDouble(cj -> cj[0] * cj[1]));
        float[][] anchors = new float[k][];
        for (int j = 0; j < k; j++) {
            anchors[j] = new float[] {(float) c[j][0], (float) c[j][1]};
        }
        return new Result(anchors, iou / wh.length, iterations);
    }

    private static int nearest(double[][] c, float[] b) {
        int best = 0;
        double bestIoU = -1;
        for (int j = 0; j < c.length; j++) {
            double v = shapeIoU(b[0], b[1], c[j][0], c[j][1]);
            if (v > bestIoU) {
                bestIoU = v;
                best = j;
            }
        }
        return best;
    }

    /** The (width, height) of every box of {@code data} (a data set labelled with boxes). */
    public static float[][] shapes(Dataset data) {
        int[] all = new int[data.size()];
        Arrays.setAll(all, i -> i);
        List<float[]> out = new ArrayList<>();
        for (List<Box> image : ((Targets.Boxes) data.targets(all)).perImage()) {
            for (Box b : image) {
                out.add(new float[] {b.x2() - b.x1(), b.y2() - b.y1()});
            }
        }
        return out.toArray(new float[0][]);
    }

    /** Prints the anchors of a detection data set's training split: {@code [dataset] [k]} (mnist-det, 6). */
    public static void main(String[] args) throws IOException {
        String name = args.length > 0 ? args[0] : "mnist-det";
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Dataset train = DataCatalog.open(name, null, System.err).train().load();
        float[][] wh = shapes(train);
        Result r = fit(wh, k, 300);
        StringBuilder sb = new StringBuilder();
        for (float[] a : r.anchors()) {
            sb.append(String.format(Locale.ROOT, " (%.1f, %.1f)", a[0], a[1]));
        }
        System.out.printf(Locale.ROOT, "%s: %d boxes of %d images, %d anchors (w, h) by area:%s; mean best IoU %.4f"
                + " after %d iterations%n", name, wh.length, train.size(), k, sb, r.meanIoU(), r.iterations());
    }
}
