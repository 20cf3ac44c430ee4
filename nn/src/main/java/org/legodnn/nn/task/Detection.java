package org.legodnn.nn.task;

import java.util.LinkedHashMap;
import java.util.Map;
import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Targets;
import org.legodnn.nn.detection.YoloDecoder;
import org.legodnn.nn.detection.YoloLayout;
import org.legodnn.nn.detection.YoloLoss;
import org.legodnn.nn.metrics.MeanAveragePrecision;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;

/**
 * Object detection, boxes with a class and a score (YOLOv3): the model outputs one flat row of raw head
 * values per image laid out as {@link YoloLayout} describes, the loss is {@link YoloLoss} (anchors assigned
 * by shape, BCE on objectness, offsets and classes, squared error on log sizes), the decoding is
 * {@link YoloDecoder} (σ/exp boxes, confidence ≥ 0.01, class-wise NMS at IoU 0.45, at most 100 per image),
 * and the score is mAP50, the VOC all-point AP at IoU 0.5 averaged over classes, with COCO's mAP at IoU
 * 0.5:0.95 beside it ({@link MeanAveragePrecision}).
 */
public final class Detection implements Task {

    /** {@code yolov3_resnet18} on {@code mnist-det}'s 96×96 canvases. */
    public static final Detection TASK = new Detection(YoloLayout.MNIST_DET);

    private final YoloLayout layout;
    private final YoloDecoder decoder;

    /** Detection with the heads, strides and anchors of {@code layout}. */
    public Detection(YoloLayout layout) {
        this.layout = layout;
        this.decoder = YoloDecoder.standard(layout);
    }

    public YoloLayout layout() {
        return layout;
    }

    @Override
    public String name() {
        return "detection";
    }

    @Override
    public String metricName() {
        return "mAP50";
    }

    @Override
    public Targets.Kind targets() {
        return Targets.Kind.BOXES;
    }

    @Override
    public String defaultDataset() {
        return "mnist-det";
    }

    @Override
    public Tensor loss(Tensor output, Batch batch) {
        if (!(batch.targets() instanceof Targets.Boxes boxes)) {
            throw new IllegalArgumentException("detection: the batch is labelled with "
                    + batch.targets().kind().describe() + ", not with boxes");
        }
        Tensor images = batch.images();
        if (images.rank() != 4 || images.dim(2) != layout.imageSize() || images.dim(3) != layout.imageSize()) {
            throw new IllegalArgumentException("detection: images of shape " + Shapes.format(images.shape())
                    + " for a YOLO layout of " + layout.imageSize() + "x" + layout.imageSize() + " inputs");
        }
        return YoloLoss.of(layout, output, boxes.perImage());
    }

    @Override
    public Targets decode(Tensor output) {
        if (output.rank() != 2) {
            throw new IllegalArgumentException("detection: the model's output has shape " + Shapes.format(output.shape())
                    + "; expected [N, " + layout.outputSize(10) + "] (a YOLO output row per image, e.g. yolov3_resnet18"
                    + " for 10 classes)");
        }
        return new Targets.Boxes(decoder.decode(output.data(), output.dim(0)));
    }

    @Override
    public Metric newMetric(int classes) {
        return new MeanAP(classes);
    }

    /** mAP50 (VOC all-point AP at IoU 0.5) over the images added, with COCO's mAP 0.5:0.95 as a detail. */
    public static final class MeanAP implements Metric {

        private final MeanAveragePrecision map;

        public MeanAP(int classes) {
            this.map = new MeanAveragePrecision(classes);
        }

        @Override
        public void add(Targets predicted, Targets truth) {
            Metric.requireSame("mAP50", predicted, truth, Targets.Kind.BOXES);
            var p = ((Targets.Boxes) predicted).perImage();
            var t = ((Targets.Boxes) truth).perImage();
            for (int i = 0; i < p.size(); i++) {
                map.add(t.get(i), p.get(i));
            }
        }

        @Override
        public int samples() {
            return map.images();
        }

        @Override
        public double value() {
            return map.map50();
        }

        @Override
        public Map<String, Double> details() {
            Map<String, Double> d = new LinkedHashMap<>();
            d.put("mAP", map.map());
            return d;
        }
    }
}
