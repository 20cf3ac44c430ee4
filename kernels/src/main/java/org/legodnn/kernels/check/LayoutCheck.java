package org.legodnn.kernels.check;

import java.util.Arrays;
import java.util.Random;
import org.legodnn.kernels.elementwise.LayoutKernel;

/**
 * {@link LayoutKernel}'s channel concatenation against the index formula
 * {@code y[i, offset_k + ch, p] = input_k[i, ch, p]}, and split as its exact inverse, including parts with
 * zero channels.
 */
public final class LayoutCheck implements KernelCheck {

    @Override
    public String name() {
        return "layout";
    }

    @Override
    public void run(long seed) {
        Random rnd = new Random(seed);
        for (int t = 0; t < 50; t++) {
            int parts = 1 + rnd.nextInt(4);
            int[] channels = new int[parts];
            for (int k = 0; k < parts; k++) {
                channels[k] = rnd.nextInt(6);
            }
            compare(1 + rnd.nextInt(3), 1 + rnd.nextInt(50), channels, rnd);
        }
    }

    private static void compare(int n, int hw, int[] channels, Random rnd) {
        String what = "n " + n + ", hw " + hw + ", channels " + Arrays.toString(channels);
        int total = 0;
        float[][] inputs = new float[channels.length][];
        for (int k = 0; k < channels.length; k++) {
            inputs[k] = Compare.random(rnd, n * channels[k] * hw);
            total += channels[k];
        }
        float[] expected = new float[n * total * hw];
        for (int i = 0; i < n; i++) {
            int offset = 0;
            for (int k = 0; k < channels.length; k++) {
                for (int ch = 0; ch < channels[k]; ch++) {
                    for (int p = 0; p < hw; p++) {
                        expected[(i * total + offset + ch) * hw + p] = inputs[k][(i * channels[k] + ch) * hw + p];
                    }
                }
                offset += channels[k];
            }
        }
        float[] y = Compare.random(rnd, expected.length);
        LayoutKernel.concatChannels(n, hw, channels, inputs, y);
        Compare.assertClose("concatChannels " + what, expected, y, 0f, 0f);

        float[][] outputs = new float[channels.length][];
        for (int k = 0; k < channels.length; k++) {
            outputs[k] = Compare.random(rnd, inputs[k].length);
        }
        LayoutKernel.splitChannels(n, hw, channels, y, outputs);
        for (int k = 0; k < channels.length; k++) {
            Compare.assertClose("splitChannels part " + k + " " + what, inputs[k], outputs[k], 0f, 0f);
        }
    }
}
