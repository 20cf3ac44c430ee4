package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.CrossEntropyLoss;
import org.legodnn.nn.Reference;
import org.legodnn.nn.optim.SGD;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;

/**
 * Three training steps of CIFAR ResNet-20 (train-mode BN, mean cross-entropy, SGD lr 0.1, momentum 0.9,
 * weight decay 5e-4 on every parameter) from PyTorch's initial weights on one fixed batch
 * ({@code pytorch/train/cifar_resnet20_sgd3.safetensors}); each step's loss is the forward pass before that
 * step's update.
 *
 * <p>Why the tolerances after the first step are looser than the reference README's 1e-4: this trajectory
 * is ill-conditioned at float32 rounding. In the first backward pass one ReLU input in {@code layer3.0} (the
 * residual sum, image 0, channel 53, row 3, column 1) is 2⁻²⁴ ≈ 6e-8 in PyTorch, a one-ulp remainder of a
 * cancellation, and rounds to ≤ 0 here, so that one element's gradient (−1.2e-4) is dropped and every
 * earlier layer's gradient moves by 0.3–2%. PyTorch 1.13.1 itself, with only that element's gradient
 * zeroed, gives losses 2.3135688, 1.5076439, 1.0221896, which this engine reproduces to 1e-7, while
 * the file holds 2.3135690, 1.5072908, 1.0208548. So the test is strict where the problem is
 * well-conditioned (the step-0 loss, within 1e-4 relative) and, after it, allows what that one tie
 * causes with about 2× margin: losses within 3e-3 relative (measured 2.3e-4 and 1.3e-3), and each final
 * tensor (weights and running BN statistics) within ‖a − e‖₂ ≤ 0.5·‖e − init‖₂ (measured at most 0.27),
 * which still catches a wrong learning rate, momentum, sign or a missing gradient path.
 */
class TrainReferenceTest {

    private static final double FIRST_LOSS_TOLERANCE = 1e-4;
    private static final double LATER_LOSS_TOLERANCE = 3e-3;
    private static final double FINAL_UPDATE_TOLERANCE = 0.5;

    @Test
    void threeSgdStepsFollowPyTorch() throws IOException {
        SafetensorsFile file = SafetensorsFile.open(Reference.pytorch().resolve("train/cifar_resnet20_sgd3.safetensors"));
        Map<String, Object> opt = JSON.std.mapFrom(file.metadata().get("optimizer"));
        assertEquals("sgd", opt.get("kind"));
        assertEquals("\"cross_entropy_mean\"", file.metadata().get("loss"));
        int steps = Integer.parseInt(file.metadata().get("steps"));

        Map<String, Tensor> init = new LinkedHashMap<>();
        Map<String, Tensor> expectedFinal = new LinkedHashMap<>();
        for (String name : file.names()) {
            if (name.startsWith("init.")) {
                init.put(name.substring("init.".length()), file.tensor(name));
            } else if (name.startsWith("final.")) {
                expectedFinal.put(name.substring("final.".length()), file.tensor(name));
            }
        }
        CifarResNet model = CifarResNet.resnet20();
        model.loadStateDict(init, true);
        model.train();
        SGD sgd = new SGD(model.parameters(), num(opt.get("lr")), num(opt.get("momentum")),
                num(opt.get("weight_decay")), false);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Tensor input = file.tensor("input");
        long[] target = file.longs("target");
        float[] expectedLosses = file.tensor("losses").data();
        assertEquals(steps, expectedLosses.length);

        double[] lossErrors = new double[steps];
        for (int step = 0; step < steps; step++) {
            sgd.zeroGrad();
            Tensor loss = criterion.forward(model.forward(input), target);
            lossErrors[step] = Math.abs(loss.item() - expectedLosses[step]) / Math.abs(expectedLosses[step]);
            double tolerance = step == 0 ? FIRST_LOSS_TOLERANCE : LATER_LOSS_TOLERANCE;
            assertTrue(lossErrors[step] <= tolerance, "step " + step + ": loss " + loss.item() + ", PyTorch "
                    + expectedLosses[step] + ", relative error " + lossErrors[step]);
            loss.backward();
            sgd.step();
        }

        Map<String, Tensor> actual = model.stateDict();
        assertEquals(init.keySet(), expectedFinal.keySet());
        double worst = 0;
        String worstName = "";
        for (Map.Entry<String, Tensor> e : expectedFinal.entrySet()) {
            double ratio = distance(actual.get(e.getKey()), e.getValue()) / distance(e.getValue(), init.get(e.getKey()));
            if (ratio > worst) {
                worst = ratio;
                worstName = e.getKey();
            }
        }
        System.out.printf("train losses relative errors %.2g %.2g %.2g; worst final |a-e|/|e-init| %.3f (%s)%n",
                lossErrors[0], lossErrors[1], lossErrors[2], worst, worstName);
        assertTrue(worst <= FINAL_UPDATE_TOLERANCE, "final " + worstName + ": ‖a − e‖ / ‖e − init‖ = " + worst);
        assertEquals(steps, model.bn1().numBatchesTracked());
    }

    private static double distance(Tensor a, Tensor b) {
        float[] x = a.data();
        float[] y = b.data();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }
}
