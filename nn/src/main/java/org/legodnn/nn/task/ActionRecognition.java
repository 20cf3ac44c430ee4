package org.legodnn.nn.task;

import org.legodnn.nn.data.Batch;
import org.legodnn.nn.data.Targets;
import org.legodnn.tensor.Tensor;

/**
 * Action recognition on clips (TSN, TRN, two-stream CNNs): a clip is one image whose channels are its frames, and
 * its label is one action, so everything but the name and the data set is {@link Classification}'s — logits
 * {@code [N, actions]}, cross-entropy, the first largest logit, clip {@code top1}.
 */
public final class ActionRecognition implements Task {

    /** The one instance (the task has no settings). */
    public static final ActionRecognition TASK = new ActionRecognition();

    private ActionRecognition() {
    }

    @Override
    public String name() {
        return "action";
    }

    @Override
    public String metricName() {
        return Classification.TASK.metricName();
    }

    @Override
    public String metricLabel() {
        return Classification.TASK.metricLabel();
    }

    @Override
    public Targets.Kind targets() {
        return Targets.Kind.CLASSES;
    }

    @Override
    public String defaultDataset() {
        return "moving-mnist-actions";
    }

    @Override
    public Tensor loss(Tensor output, Batch batch) {
        return Classification.TASK.loss(output, batch);
    }

    @Override
    public Targets decode(Tensor output) {
        return Classification.TASK.decode(output);
    }

    @Override
    public Metric newMetric(int classes) {
        return Classification.TASK.newMetric(classes);
    }
}
