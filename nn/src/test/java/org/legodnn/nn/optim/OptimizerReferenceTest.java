package org.legodnn.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.legodnn.nn.Reference;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * Three steps of each optimizer against {@code torch.optim} on the same parameter and gradients
 * ({@code pytorch/optim/*.safetensors}): after each step the parameter must match PyTorch's within 1e-5
 * relative, |a − e| ≤ 1e-5·max(|e|, 1e-6).
 */
class OptimizerReferenceTest {

    private static final double TOLERANCE = 1e-5;

    @SuppressWarnings("unchecked")
    static Stream<String> cases() throws IOException {
        List<String> names = new ArrayList<>();
        for (Object o : (List<Object>) Reference.manifest().get("optim")) {
            names.add((String) ((Map<String, Object>) o).get("name"));
        }
        return names.stream();
    }

    @Test
    void theManifestListsAllSixCases() throws IOException {
        assertEquals(List.of("sgd_momentum_wd", "sgd_nesterov", "sgd_plain", "adam", "adam_l2", "adamw"),
                cases().toList());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void threeStepsMatchPyTorch(String name) throws IOException {
        SafetensorsFile file = SafetensorsFile.open(ReferenceData.pytorch().resolve("optim/" + name + ".safetensors"));
        String kind = JSON.std.anyFrom(file.metadata().get("optimizer")).toString();
        Map<String, Object> config = JSON.std.mapFrom(file.metadata().get("config"));
        assertEquals(Reference.manifestEntry("optim", name).get("config"), config, name + ": file and manifest disagree");

        Tensor p = file.tensor("p0").copy().requiresGrad(true);
        Optimizer opt = build(kind, config, List.of(p));
        double worst = 0;
        for (int step = 1; step <= 3; step++) {
            opt.zeroGrad();
            p.setGrad(file.tensor("g" + step).data().clone());
            opt.step();
            double err = Reference.maxRelError(p, file.tensor("p" + step), 1e-6, name + " p" + step);
            worst = Math.max(worst, err);
            assertTrue(err <= TOLERANCE, name + ": after step " + step + " max relative error " + err);
        }
        System.out.printf("optim %-16s max relative error %.3g%n", name, worst);
    }

    private static Optimizer build(String kind, Map<String, Object> c, List<Tensor> params) {
        double lr = num(c.get("lr"));
        double wd = num(c.get("weight_decay"));
        return switch (kind) {
            case "sgd" -> new SGD(params, lr, num(c.get("momentum")), wd, (Boolean) c.get("nesterov"));
            case "adam", "adamw" -> {
                List<?> betas = (List<?>) c.get("betas");
                double b1 = num(betas.get(0));
                double b2 = num(betas.get(1));
                double eps = num(c.get("eps"));
                yield kind.equals("adam") ? new Adam(params, lr, b1, b2, eps, wd) : new AdamW(params, lr, b1, b2, eps, wd);
            }
            default -> throw new IllegalArgumentException("unknown optimizer " + kind);
        };
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }
}
