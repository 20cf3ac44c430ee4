package org.legodnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.legodnn.graph.Graph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.tensor.Shapes;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that name a model to analyse without data — a model name or an ONNX file, and the shape to
 * trace it at — shared by the commands that look at a model's graph ({@code info}, {@code blocks}).
 */
final class ModelGraphOptions {

    @Option(names = "--model", required = true, paramLabel = "NAME|default|M.onnx",
            description = "A model name (e.g. cifar_resnet18, resnet50), 'default' (the shipped teacher's"
                    + " architecture: cifar_resnet20, 1 channel, 10 classes, 28x28) or an ONNX file.")
    String model;

    @Option(names = "--input-shape", split = ",", paramLabel = "N,C,H,W",
            description = "Input shape (default: the ONNX model's, open dimensions as 1; for named models 1,C,32,32 "
                    + "for cifar_* and 1,C,224,224 otherwise).")
    int[] inputShape;

    @Option(names = "--in-channels", paramLabel = "C", description = "Image channels of a named model (default: ${DEFAULT-VALUE}).")
    int inChannels = 3;

    @Option(names = "--classes", paramLabel = "N", description = "Classes of a named model (default: 10 for cifar_*, else 1000).")
    Integer classes;

    /** The ONNX file imported, or the named model traced at the input shape; bad options are usage errors. */
    Graph load(CommandLine commandLine) throws Exception {
        boolean onnx = model.endsWith(".onnx") || Files.isRegularFile(Path.of(model));
        if (onnx) {
            RunCommand.requireFile(Path.of(model), "--model");
            Graph g = OnnxImporter.read(Path.of(model));
            if (inputShape != null) {
                if (g.inputs().size() != 1) {
                    throw new CommandLine.ParameterException(commandLine,
                            "--input-shape needs a model with one input; this one has " + g.inputs().size());
                }
                g = g.withInputShapes(Map.of(g.inputs().get(0).name(), inputShape));
            }
            return g;
        }
        if (model.equals("default")) {
            int[] shape = inputShape != null ? inputShape : new int[] {1, ModelNames.TEACHER_CHANNELS, 28, 28};
            return Tracer.trace(ModelNames.create(ModelNames.TEACHER_MODEL, ModelNames.TEACHER_CHANNELS,
                    ModelNames.TEACHER_CLASSES), shape);
        }
        if (!ModelNames.known(model)) {
            throw new CommandLine.ParameterException(commandLine, "unknown model '" + model
                    + "': not an ONNX file and not a model name (" + ModelNames.describe() + ")");
        }
        if (inChannels <= 0 || (classes != null && classes <= 0)) {
            throw new CommandLine.ParameterException(commandLine, "--in-channels and --classes must be positive");
        }
        if (inputShape != null && (inputShape.length != 4 || inputShape[1] != inChannels)) {
            throw new CommandLine.ParameterException(commandLine, "--input-shape " + Shapes.format(inputShape)
                    + " must be N," + inChannels + ",H,W (the image channels are --in-channels)");
        }
        boolean cifar = model.startsWith("cifar");
        int k = classes != null ? classes : cifar ? 10 : 1000;
        int side = cifar ? 32 : 224;
        int[] shape = inputShape != null ? inputShape : new int[] {1, inChannels, side, side};
        return Tracer.trace(ModelNames.create(model, inChannels, k), shape);
    }
}
