package org.legodnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.tensor.io.SafetensorsFile;

/**
 * The model names that {@code train} and {@code eval} accept: the {@link ModelZoo}'s, any CIFAR ResNet depth
 * 6n + 2 as {@code cifar_resnet<depth>} (e.g. the quick {@code cifar_resnet8}), and, for {@code eval},
 * {@code default}: the teacher shipped with the project.
 */
final class ModelNames {

    /** The shipped teacher: a CIFAR ResNet-20 for 1-channel 28×28 images and 10 classes, trained on Fashion-MNIST. */
    static final String TEACHER_MODEL = "cifar_resnet20";
    static final String TEACHER_RESOURCE = "/org/legodnn/teacher/fashion_mnist_resnet20.safetensors";
    static final int TEACHER_CHANNELS = 1;
    static final int TEACHER_CLASSES = 10;

    private static final Pattern CIFAR_RESNET = Pattern.compile("cifar_resnet(\\d{1,4})");

    private ModelNames() {
    }

    /** Whether {@code name} names a model {@link #create} can build. */
    static boolean known(String name) {
        if (ModelZoo.names().contains(name)) {
            return true;
        }
        Matcher m = CIFAR_RESNET.matcher(name);
        if (!m.matches()) {
            return false;
        }
        int depth = Integer.parseInt(m.group(1));
        return depth >= 8 && (depth - 2) % 6 == 0;
    }

    /** A new model with random weights. */
    static Module create(String name, int inChannels, int classes) {
        if (ModelZoo.names().contains(name)) {
            return ModelZoo.create(name, inChannels, classes);
        }
        Matcher m = CIFAR_RESNET.matcher(name);
        if (m.matches()) {
            return new CifarResNet(Integer.parseInt(m.group(1)), inChannels, classes);
        }
        throw new IllegalArgumentException("unknown model '" + name + "' (" + describe() + ")");
    }

    /** The known names, for messages and --help. */
    static String describe() {
        List<String> names = new ArrayList<>(ModelZoo.names());
        names.add("cifar_resnet<6n+2>");
        return "known: " + String.join(", ", names);
    }

    /** The teacher's weights from inside the jar, or a failure saying this build has none. */
    static SafetensorsFile teacherWeights() throws IOException {
        try (InputStream in = ModelNames.class.getResourceAsStream(TEACHER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default teacher's weights (" + TEACHER_RESOURCE.substring(1)
                        + ") are not in this build; pass --model NAME --weights FILE instead");
            }
            return SafetensorsFile.fromBytes("teacher " + TEACHER_RESOURCE.substring(1), in.readAllBytes());
        }
    }
}
