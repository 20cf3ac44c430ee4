package org.legodnn.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.legodnn.nn.Init;
import org.legodnn.nn.Module;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.nn.optim.SGD;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.Workspace;

/**
 * Training steps of whole zoo models with arrays lent by a {@link Workspace} that fills each with NaN first, against
 * the same steps without one: every op and kernel path these models take (direct, im2col and depthwise
 * convolutions, strided, grouped and dilated ones, pooling, BatchNorm, ReLU and ReLU6, residual adds, and beside
 * them the ops that do not borrow: transposed convolutions, upsampling, concatenation) writes all of what it
 * borrows, and the intermediate gradients given back during the walk are not read again.
 */
class WorkspaceTrainingTest {

    @ParameterizedTest
    @ValueSource(strings = {"cifar_resnet20", "mobilenet_v2", "resnet18", "resnext_tiny", "deeplabv3_resnet18", "unet"})
    void stepsWithAPoisonedWorkspaceMatchStepsWithoutOne(String name) {
        Map<String, Tensor> plain = train(name, null);
        Map<String, Tensor> lent = train(name, Workspace.poisoned());
        assertEquals(plain.keySet(), lent.keySet());
        for (String key : plain.keySet()) {
            assertArrayEquals(plain.get(key).data(), lent.get(key).data(), name + " " + key);
        }
    }

    /** The model's state after two SGD steps on one random batch, each step in a scope of {@code memory} if given. */
    private static Map<String, Tensor> train(String name, Workspace memory) {
        Init.manualSeed(11);
        Module model = ModelZoo.create(name, 3, 5);
        model.train(true);
        SGD sgd = new SGD(model.parameters(), 0.05, 0.9, 5e-4, false);
        Tensor x = Tensor.randn(new Random(12), 2, 3, 32, 32);
        int[] labels = null;
        for (int s = 0; s < 2; s++) {
            float loss;
            try (Workspace.Scope step = memory == null ? null : memory.open()) {
                sgd.zeroGrad();
                Tensor out = model.forward(x);
                if (labels == null) {
                    // one class per image, or per pixel for the segmentation models
                    labels = new Random(13).ints(out.size() / out.dim(1), 0, out.dim(1)).toArray();
                }
                Tensor l = Ops.crossEntropy(out, labels);
                l.backward();
                sgd.step();
                loss = l.item();
            }
            assertTrue(Float.isFinite(loss), name + " step " + s + ": loss " + loss);
        }
        return model.stateDict();
    }
}
