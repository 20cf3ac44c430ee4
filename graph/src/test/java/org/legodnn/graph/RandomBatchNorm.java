package org.legodnn.graph;

import java.util.Map;
import java.util.Random;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Tensor;

/** Gives a model's BatchNorms non-trivial statistics, so that tests of folding them compare something. */
public final class RandomBatchNorm {

    private RandomBatchNorm() {
    }

    /** Running variance and gamma in [0.5, 1.5), running mean and beta in [-0.3, 0.3), for every BatchNorm. */
    public static void randomize(Module model, Random rnd) {
        Map<String, Tensor> state = model.stateDict();
        for (String key : state.keySet()) {
            if (!key.endsWith(".running_var")) {
                continue;
            }
            String prefix = key.substring(0, key.length() - ".running_var".length());
            fill(state.get(key), rnd, 0.5f, 1.5f);
            fill(state.get(prefix + ".running_mean"), rnd, -0.3f, 0.3f);
            fill(state.get(prefix + ".weight"), rnd, 0.5f, 1.5f);
            fill(state.get(prefix + ".bias"), rnd, -0.3f, 0.3f);
        }
    }

    private static void fill(Tensor t, Random rnd, float lo, float hi) {
        if (t == null) {
            return;
        }
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rnd.nextFloat();
        }
    }
}
