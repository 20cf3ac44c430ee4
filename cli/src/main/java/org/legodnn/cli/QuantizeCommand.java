package org.legodnn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.legodnn.graph.Graph;
import org.legodnn.graph.module.GraphModule;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.quant.Calibration;
import org.legodnn.graph.quant.StaticQuantizer;
import org.legodnn.kernels.Parallel;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.task.Score;
import org.legodnn.nn.task.Task;
import org.legodnn.nn.train.Evaluator;
import org.legodnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Post-training int8 quantization as one command, as users of ONNX Runtime's and TFLite's quantizers expect: a
 * trained model in, a QDQ ONNX model out (int8 weights per output channel, uint8 activations per tensor, ranges
 * calibrated on training images), with the metric before and after measured on the test split so that the
 * cost of the smaller model is known before it ships.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Int8 post-training quantization: writes a QDQ ONNX model (QuantizeLinear/DequantizeLinear, as"
                + " ONNX Runtime's quantize_static writes) and prints the metric of the float and the int8 model on the"
                + " test split, and both file sizes.",
            "Weights: int8, symmetric, one scale per output channel. Activations read by convolutions and Linear"
                + " layers, and both inputs of residual Adds: uint8, asymmetric, one scale per tensor, with ranges"
                + " observed on the first --calibration-images training images. Biases: int32.",
            "With --json prints {\"metric\": NAME, \"fp32\": a, \"int8\": b, \"samples\": n, \"fp32_bytes\": f,"
                + " \"int8_bytes\": q, ...}."})
public final class QuantizeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ModelDataOptions modelData;

    @Option(names = "--calibration", paramLabel = "METHOD", description = "How activation ranges are chosen: minmax,"
            + " percentile (99.99th of |x|) or entropy (least KL divergence, as TensorRT); the model's input always"
            + " keeps its min-max range (default: ${DEFAULT-VALUE}).")
    private String calibration = "minmax";

    @Option(names = "--calibration-images", paramLabel = "N",
            description = "Training images to calibrate on (default: ${DEFAULT-VALUE}).")
    private int calibrationImages = 512;

    @Option(names = "--out", required = true, paramLabel = "Q.onnx", description = "The quantized model to write.")
    private Path out;

    @Option(names = "--limit", paramLabel = "N", description = "Score on only the first N test images (default: all).")
    private Integer limit;

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch = 64;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    private Integer threads;

    @Option(names = "--json", description = "Print one JSON object instead of lines of text.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        Calibration method;
        try {
            method = Calibration.parse(calibration);
        } catch (IllegalArgumentException e) {
            throw usage("--calibration: " + e.getMessage());
        }
        if (calibrationImages <= 0 || batch <= 0 || (limit != null && limit <= 0)
                || (threads != null && threads <= 0)) {
            throw usage("--calibration-images, --batch, --limit and --threads must be positive");
        }
        ModelDataOptions.checkOut(spec.commandLine(), out);
        TeacherOptions teacher = modelData.check(spec.commandLine());
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        ModelDataOptions.Loaded loaded = modelData.load(teacher, limit);
        Task task = loaded.task();
        Dataset train = loaded.train();
        Dataset test = loaded.test();
        Graph fp32 = ModelDataOptions.anyBatch(loaded.graph());
        Normalize normalize = loaded.normalize();

        Dataset calibrationSet = train.first(calibrationImages);
        progress("calibrating " + method.name().toLowerCase(Locale.ROOT) + " ranges on " + calibrationSet.size()
                + " training images");
        StaticQuantizer.Result q = StaticQuantizer.quantize(fp32, batches(calibrationSet, normalize), method,
                line -> { });
        Graph int8 = q.graph();

        progress("scoring the float model on " + test.size() + " test images");
        Score before = Evaluator.evaluate(task, new GraphModule(fp32), test, normalize, batch);
        progress("scoring the int8 model");
        Score after = Evaluator.evaluate(task, new GraphModule(int8), test, normalize, batch);
        OnnxExporter.write(int8, out);
        long fp32Bytes = OnnxExporter.toModel(fp32).getSerializedSize();
        long int8Bytes = Files.size(out);
        report(before, after, fp32Bytes, int8Bytes, q, method, calibrationSet.size());
        return 0;
    }

    /** The images of {@code data}, normalized, in batches of {@link #batch}, as evaluation loads them. */
    private List<Tensor> batches(Dataset data, Normalize normalize) {
        List<Tensor> out = new ArrayList<>();
        try (DataLoader loader = new DataLoader(data, DataLoader.Settings.evaluation(batch, normalize));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            epoch.forEachRemaining(b -> out.add(b.images()));
        }
        return out;
    }

    private void report(Score before, Score after, long fp32Bytes, long int8Bytes, StaticQuantizer.Result q,
                        Calibration method, int calibrated) {
        if (json) {
            System.out.printf(Locale.ROOT, "{\"task\": \"%s\", \"metric\": \"%s\", \"fp32\": %s, \"int8\": %s,"
                            + " \"samples\": %d, \"fp32_bytes\": %d, \"int8_bytes\": %d, \"calibration\": \"%s\","
                            + " \"calibration_images\": %d, \"quantized_activations\": %d, \"quantized_weights\": %d,"
                            + " \"out\": \"%s\"}%n", before.task(), before.metric(), before.value(), after.value(),
                    after.samples(), fp32Bytes, int8Bytes, method.name().toLowerCase(Locale.ROOT), calibrated,
                    q.activations(), q.weights(), out.toString().replace("\\", "\\\\").replace("\"", "\\\""));
            return;
        }
        System.out.printf(Locale.ROOT, "fp32  %s %.2f%%  %s%n", before.metric(), 100 * before.value(),
                bytes(fp32Bytes));
        System.out.printf(Locale.ROOT, "int8  %s %.2f%%  %s (%.0f%% of fp32)  %+.2f points%n", after.metric(),
                100 * after.value(), bytes(int8Bytes), 100.0 * int8Bytes / fp32Bytes,
                100 * (after.value() - before.value()));
        System.out.printf(Locale.ROOT, "%d weights int8 per channel, %d activations uint8 (%s ranges from %d training"
                        + " images), scored on %d test images%n", q.weights(), q.activations(),
                method.name().toLowerCase(Locale.ROOT), calibrated, after.samples());
        System.out.println("wrote " + out);
    }

    private static String bytes(long n) {
        return n >= 1 << 20 ? String.format(Locale.ROOT, "%.2f MB", n / 1048576.0)
                : String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
    }

    private void progress(String line) {
        System.err.println(line);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
