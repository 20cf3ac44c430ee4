package org.legodnn.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.core.offline.BlockStore;
import org.legodnn.core.offline.StoredBlocks;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Module;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.ImageFile;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What a user of an image classifier tries first: show it a picture and read what it sees. The picture is
 * prepared as the model's training data was — channels, size and normalization from the weights' metadata
 * (the shipped teacher, a model {@code train} wrote) or from the block store an exported model came from —
 * so that a test image saved as a PNG gets the class {@code eval} gives it.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify image files (PNG, JPEG, BMP, GIF): decode, convert to the model's channels, resize"
                + " to its input size, normalize as it was trained, and print the top classes with probabilities.",
            "--model default is the shipped teacher (Fashion-MNIST: 28x28 gray, class names known). A model name with"
                + " --weights takes its input size and normalization from the weights' metadata (written by train)."
                + " An ONNX model takes them from --store (the block store export took it from) or --mean/--std.",
            "With --json prints {\"predictions\": [{\"image\": file, \"top\": [{\"class\": k, \"label\": name,"
                + " \"probability\": p}, ...]}, ...]}."})
public final class PredictCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME|default|M.onnx",
            description = "'default' (the shipped teacher), a model name with --weights, or an ONNX classifier.")
    private String model;

    @Option(names = "--weights", paramLabel = "W", description = "Weights for a model name (safetensors written by train).")
    private Path weights;

    @Option(names = "--store", paramLabel = "DIR", description = "With an ONNX model: prepare images as this block"
            + " store's teacher was trained (normalization, class names).")
    private Path store;

    @Option(names = "--mean", split = ",", paramLabel = "M,...", description = "With an ONNX model: per-channel mean"
            + " of the normalization (of values in [0, 1]).")
    private float[] mean;

    @Option(names = "--std", split = ",", paramLabel = "S,...", description = "With an ONNX model: per-channel standard"
            + " deviation of the normalization.")
    private float[] std;

    @Option(names = "--image", required = true, arity = "1..*", paramLabel = "FILE", description = "Images to classify.")
    private List<Path> images;

    @Option(names = "--top", paramLabel = "K", description = "How many classes to print per image (default: ${DEFAULT-VALUE}).")
    private int top = 5;

    @Option(names = "--json", description = "Print one JSON object instead of a line per image.")
    private boolean json;

    /** A model ready to run, with how its input images were prepared in training. */
    private record Classifier(CompiledGraph graph, int channels, int height, int width, Normalize normalize,
                              List<String> classNames) {
    }

    @Override
    public Integer call() throws Exception {
        if (top <= 0) {
            throw usage("--top must be positive");
        }
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw usage("--image: no such file " + image);
            }
        }
        Classifier c = model.endsWith(".onnx") ? onnx(Path.of(model)) : zoo();
        List<Map<String, Object>> predictions = new ArrayList<>();
        for (Path image : images) {
            ImageFile.Pixels px = ImageFile.read(image, c.channels(), c.height(), c.width());
            float[] x = px.values();
            if (c.normalize() != null) {
                c.normalize().apply(x, 0, px.height() * px.width());
            }
            Tensor logits = c.graph().run(Tensor.of(x, 1, c.channels(), px.height(), px.width()));
            double[] p = softmax(logits.data());
            Integer[] order = new Integer[p.length];
            for (int k = 0; k < order.length; k++) {
                order[k] = k;
            }
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            List<Map<String, Object>> best = new ArrayList<>();
            for (int r = 0; r < Math.min(top, p.length); r++) {
                int k = order[r];
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("class", k);
                o.put("label", k < c.classNames().size() ? c.classNames().get(k) : "class " + k);
                o.put("probability", p[k]);
                best.add(o);
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("image", image.toString());
            one.put("top", best);
            predictions.add(one);
            if (!json) {
                StringBuilder line = new StringBuilder(image + ":");
                for (int r = 0; r < best.size(); r++) {
                    line.append(r == 0 ? " " : ", ").append(best.get(r).get("label")).append(String.format(Locale.ROOT,
                            " %.2f%%", 100 * (double) best.get(r).get("probability")));
                }
                System.out.println(line);
            }
        }
        if (json) {
            System.out.println(JSON.std.asString(Map.of("predictions", predictions)));
        }
        return 0;
    }

    /** The shipped teacher or a zoo model with its weights, prepared as the weights' metadata says it was trained. */
    private Classifier zoo() throws IOException {
        if (store != null || mean != null || std != null) {
            throw usage("--store, --mean and --std go with an ONNX model; a model's weights say how it was trained");
        }
        boolean teacher = model.equals("default");
        if (!teacher && !ModelNames.known(model)) {
            throw usage("--model: unknown model '" + model + "' (default, " + ModelNames.describe() + ", or an ONNX file)");
        }
        if (!teacher && weights == null) {
            throw usage("--weights W is required with a model name");
        }
        if (teacher && weights != null) {
            throw usage("--weights goes with a model name; the default teacher ships with its own");
        }
        if (weights != null && !Files.isRegularFile(weights)) {
            throw usage("--weights: no such file " + weights);
        }
        String from = teacher ? "the default teacher" : weights.toString();
        Checkpoint.Contents contents = teacher ? Checkpoint.split(ModelNames.teacherWeights()) : Checkpoint.read(weights);
        Map<String, String> meta = contents.metadata();
        int channels = intMeta(meta, "in_channels", from);
        int classes = intMeta(meta, "classes", from);
        String size = meta.get("image_size");
        String[] hw = size == null ? new String[0] : size.split("x");
        if (hw.length != 2) {
            throw new IllegalStateException(from + ": metadata 'image_size' is " + size + ", expected HxW such as 28x28"
                    + " (weights written by legodnn train carry it)");
        }
        int height = Integer.parseInt(hw[0].strip());
        int width = Integer.parseInt(hw[1].strip());
        if (meta.get("normalize_mean") == null || meta.get("normalize_std") == null) {
            throw new IllegalStateException(from + ": metadata has no normalize_mean/normalize_std (weights written by"
                    + " legodnn train carry them)");
        }
        Normalize normalize = Normalize.parse(meta.get("normalize_mean"), meta.get("normalize_std"));
        Module net = ModelNames.create(teacher ? ModelNames.TEACHER_MODEL : model, channels, classes);
        net.loadStateDict(contents.model(), true);
        net.eval();
        Graph g = Tracer.trace(net, 1, channels, height, width);
        String dataset = meta.getOrDefault("dataset", "");
        return new Classifier(CompiledGraph.compile(g), channels, height, width, normalize,
                DataCatalog.classNames(dataset));
    }

    /** An ONNX classifier, its images normalized as its block store's teacher was (or as --mean/--std say). */
    private Classifier onnx(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw usage("--model: no such file " + file);
        }
        if (weights != null) {
            throw usage("--weights goes with a model name; an ONNX model carries its weights");
        }
        if ((mean == null) != (std == null)) {
            throw usage("--mean and --std go together");
        }
        if (store != null && mean != null) {
            throw usage("--store and --mean/--std both say how to normalize; give one");
        }
        if (store == null && mean == null) {
            throw usage("--model " + file + ": how its inputs were normalized is unknown; pass --store DIR (the block"
                    + " store it was exported from) or --mean M --std S");
        }
        Normalize normalize;
        List<String> classNames = List.of();
        if (store != null) {
            StoredBlocks s = BlockStore.read(store);
            if (!s.task().isClassification()) {
                throw usage("--store " + store + " was made for task " + s.task().task() + "; predict classifies images"
                        + " (evaluate that store's exports with eval --model M.onnx --store DIR)");
            }
            normalize = s.normalize();
            if (normalize == null) {
                throw new IllegalStateException("block store " + store + " records no normalization; pass --mean and"
                        + " --std instead of --store");
            }
            classNames = DataCatalog.classNames(s.dataset());
        } else {
            try {
                normalize = new Normalize(mean, std);
            } catch (IllegalArgumentException e) {
                throw usage("--mean/--std: " + e.getMessage());
            }
        }
        Graph g = OnnxImporter.read(file);
        int[] shape = g.inputs().get(0).shape();
        if (g.inputs().size() != 1 || shape.length != 4 || (shape[1] != 1 && shape[1] != 3)) {
            throw new IllegalStateException(file + ": input " + g.inputs().get(0).name() + " is "
                    + Shapes.format(shape) + "; predict needs one image input N,C,H,W with 1 or 3 channels");
        }
        if (normalize.channels() != shape[1]) {
            throw new IllegalStateException("the normalization has " + normalize.channels() + " channels, " + file
                    + " takes " + shape[1]);
        }
        int height = Math.max(0, shape[2]);
        int width = Math.max(0, shape[3]);
        if ((height == 0) != (width == 0)) { // one side open: keep the image's own size for both
            height = 0;
            width = 0;
        }
        return new Classifier(CompiledGraph.compile(g), shape[1], height, width, normalize, classNames);
    }

    private static int intMeta(Map<String, String> meta, String key, String from) {
        String v = meta.get(key);
        try {
            return Integer.parseInt(v == null ? "" : v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(from + ": metadata '" + key + "' is " + v + ", expected an integer"
                    + " (weights written by legodnn train carry it)");
        }
    }

    /** Probabilities from logits, in double, the largest logit subtracted first. */
    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
