package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * Every op against PyTorch's own numbers: each case of {@code pytorch/ops} in the shared reference data is
 * run forward and backward with its attributes, and the output and every input gradient are compared
 * within the tolerances that the reference README sets for a float32 engine.
 */
class OpsReferenceTest {

    /** Forward values and gradients of one image: relative 1e-4. */
    private static final double OP_TOLERANCE = 1e-4;
    /** Gradients summed over a whole batch (weights, biases, BatchNorm's affine): relative 1e-3. */
    private static final double BATCH_SUM_TOLERANCE = 1e-3;
    private static final Set<String> BATCH_SUMMED = Set.of("gw", "gb", "ggamma", "gbeta");

    private static final Path OPS = ReferenceData.pytorch();

    static Stream<String> cases() throws IOException {
        return manifestCases().keySet().stream();
    }

    /** The shared reference's cases, then those of the heads' generator ({@code tools/reference/make_head_ops.py}). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> manifestCases() throws IOException {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (String manifestFile : List.of("MANIFEST.json", "MANIFEST.heads.json")) {
            Map<String, Object> manifest = JSON.std.mapFrom(Files.readString(OPS.resolve(manifestFile)));
            for (Object c : (List<Object>) manifest.get("ops")) {
                Map<String, Object> entry = (Map<String, Object>) c;
                byName.put((String) entry.get("name"), entry);
            }
        }
        return byName;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void matchesPyTorch(String name) throws IOException {
        Map<String, Object> entry = manifestCases().get(name);
        String op = (String) entry.get("op");
        Map<String, Object> attrs = (Map<String, Object>) entry.get("attrs");
        SafetensorsFile file = SafetensorsFile.open(OPS.resolve("ops").resolve(name + ".safetensors"));
        Map<String, Tensor> in = inputs(file);

        Tensor y = run(op, attrs, in, file);
        check(name, "y", y, file.tensor("y"), OP_TOLERANCE);
        if (y.rank() == 0) {
            y.backward();
        } else {
            y.backward(file.tensor("gy").data());
        }
        int compared = 0;
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            String gradName = "g" + e.getKey();
            if (file.contains(gradName)) {
                Tensor grad = e.getValue().gradTensor();
                assertTrue(grad != null, name + ": no gradient reached " + e.getKey());
                check(name, gradName, grad, file.tensor(gradName),
                        BATCH_SUMMED.contains(gradName) ? BATCH_SUM_TOLERANCE : OP_TOLERANCE);
                compared++;
            }
        }
        assertTrue(compared > 0, name + ": the case holds no input gradient");
        if (file.contains("running_mean_out")) {
            check(name, "running_mean_out", in.get("running_mean_in"), file.tensor("running_mean_out"), OP_TOLERANCE);
            check(name, "running_var_out", in.get("running_var_in"), file.tensor("running_var_out"), OP_TOLERANCE);
        }
    }

    /** The case's inputs, those with a gradient in the file marked as requiring one. */
    private static Map<String, Tensor> inputs(SafetensorsFile file) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (String n : file.names()) {
            boolean result = n.equals("y") || n.equals("gy") || n.endsWith("_out")
                    || n.startsWith("g") && file.contains(n.substring(1)); // a gradient: gx, gw, ggamma, ...
            boolean labels = file.entry(n).dtype().equals("I64");
            if (result || labels) {
                continue;
            }
            Tensor t = file.tensor(n);
            in.put(n, t.requiresGrad(file.contains("g" + n)));
        }
        return in;
    }

    private static Tensor run(String op, Map<String, Object> attrs, Map<String, Tensor> in, SafetensorsFile file) {
        return switch (op) {
            case "conv2d" -> Ops.conv2d(in.get("x"), in.get("w"), in.get("b"), integer(attrs, "stride"),
                    integer(attrs, "padding"), integer(attrs, "dilation"), integer(attrs, "groups"));
            case "conv_transpose2d" -> Ops.convTranspose2d(in.get("x"), in.get("w"), in.get("b"),
                    integer(attrs, "stride"), integer(attrs, "padding"), integer(attrs, "output_padding"),
                    integer(attrs, "dilation"), integer(attrs, "groups"));
            case "batch_norm2d" -> {
                boolean training = (Boolean) attrs.get("training");
                float eps = ((Number) attrs.get("eps")).floatValue();
                float momentum = attrs.containsKey("momentum") ? ((Number) attrs.get("momentum")).floatValue() : 0.1f;
                String suffix = training ? "_in" : "";
                yield Ops.batchNorm2d(in.get("x"), in.get("gamma"), in.get("beta"), in.get("running_mean" + suffix),
                        in.get("running_var" + suffix), training, momentum, eps);
            }
            case "max_pool2d" -> Ops.maxPool2d(in.get("x"), integer(attrs, "kernel"), integer(attrs, "stride"),
                    integer(attrs, "padding"), bool(attrs, "ceil_mode"));
            case "avg_pool2d" -> Ops.avgPool2d(in.get("x"), integer(attrs, "kernel"), integer(attrs, "stride"),
                    integer(attrs, "padding"), bool(attrs, "ceil_mode"), bool(attrs, "count_include_pad"));
            case "adaptive_avg_pool2d" -> {
                assertEquals(1, integer(attrs, "output_size"));
                yield Ops.globalAvgPool(in.get("x"));
            }
            case "relu" -> Ops.relu(in.get("x"));
            case "relu6" -> Ops.relu6(in.get("x"));
            case "sigmoid" -> Ops.sigmoid(in.get("x"));
            case "tanh" -> Ops.tanh(in.get("x"));
            case "exp" -> Ops.exp(in.get("x"));
            case "softmax" -> Ops.softmax(in.get("x"), integer(attrs, "dim"));
            case "slice" -> Ops.slice(in.get("x"), integer(attrs, "dim"), integer(attrs, "start"), integer(attrs, "end"),
                    integer(attrs, "step"));
            case "upsample" -> {
                Tensor x = in.get("x");
                int scale = integer(attrs, "scale");
                yield switch ((String) attrs.get("mode")) {
                    case "nearest" -> Ops.upsampleNearest(x, scale);
                    case "bilinear" -> {
                        assertEquals(Boolean.FALSE, attrs.get("align_corners"));
                        yield Ops.upsampleBilinear(x, x.dim(2) * scale, x.dim(3) * scale);
                    }
                    default -> throw new AssertionError("unknown upsample mode " + attrs.get("mode"));
                };
            }
            case "linear" -> Ops.linear(in.get("x"), in.get("w"), in.get("b"));
            case "add" -> Ops.add(in.get("a"), in.get("b"));
            case "concat" -> {
                assertEquals(1, integer(attrs, "dim"));
                yield Ops.concat(in.get("a"), in.get("b"));
            }
            case "cross_entropy" -> {
                long[] labels = file.longs("target");
                int[] target = new int[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    target[i] = Math.toIntExact(labels[i]);
                }
                yield Ops.crossEntropy(in.get("logits"), target);
            }
            case "mse" -> Ops.mse(in.get("pred"), in.get("target"));
            default -> throw new AssertionError("no runner for op " + op);
        };
    }

    private static int integer(Map<String, Object> attrs, String key) {
        return ((Number) attrs.get(key)).intValue();
    }

    private static boolean bool(Map<String, Object> attrs, String key) {
        return Boolean.TRUE.equals(attrs.get(key));
    }

    /**
     * {@code |a − e| ≤ rtol·|e| + 0.1·rtol·max|e|}: relative where values are large, and an absolute floor
     * (a tenth of the tolerance, scaled to the tensor) where cancellation leaves values near zero.
     */
    static void check(String name, String what, Tensor actual, Tensor expected, double rtol) {
        if (!actual.sameShape(expected.shape())) {
            fail(name + " " + what + ": shape " + Shapes.format(actual.shape()) + ", PyTorch "
                    + Shapes.format(expected.shape()));
        }
        float[] a = actual.data();
        float[] e = expected.data();
        double scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double atol = 0.1 * rtol * scale;
        int worst = -1;
        double worstExcess = 0;
        int bad = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs((double) a[i] - e[i]);
            double excess = err / (rtol * Math.abs(e[i]) + atol + Double.MIN_VALUE);
            if (!(excess <= 1)) {
                bad++;
                if (worst < 0 || !(excess <= worstExcess)) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (bad > 0) {
            fail(String.format("%s %s: %d of %d values off (rtol %.0e, atol %.2e); worst at %d: got %.8g, PyTorch %.8g",
                    name, what, bad, e.length, rtol, atol, worst, a[worst], e[worst]));
        }
    }
}
