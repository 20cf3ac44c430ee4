package org.legodnn.benchmarks;

import java.util.Random;
import org.legodnn.nn.Conv2d;
import org.legodnn.tensor.Tensor;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Every distinct convolution of ResNet-18 and MobileNetV2 at batch 1 and 224×224, so that our convolution
 * and ONNX Runtime's are timed on the layers the two models are made of, one JMH row per layer, and the
 * slowest layers relative to the peer are the ones to optimise next.
 *
 * <p>The list was taken once from the zoo models (watching every {@code Conv2d} call of a forward pass) and
 * is kept here as a JMH parameter that {@link ConvLayerBenchmark} and {@link OrtConvLayerBenchmark} share.
 * A name reads {@code <model>_<first layer>_<Cin>x<H>x<W>_k<kernel>s<stride>[g<groups>]_<Cout>}; padding is
 * {@code (kernel - 1) / 2} throughout, no bias (BatchNorm follows every one). The comment after each name
 * says how often the model runs that shape, to weigh a layer's time into the model's.
 */
@State(Scope.Benchmark)
public class ConvShapes {

    @Param({
        "rn18_conv1_3x224x224_k7s2_64",                   // 1  the 7x7 stem
        "rn18_l1_64x56x56_k3s1_64",                        // 4  layer1.*.conv1/conv2
        "rn18_l2.0.conv1_64x56x56_k3s2_128",               // 1
        "rn18_l2.0.down_64x56x56_k1s2_128",                // 1  downsample.0
        "rn18_l2_128x28x28_k3s1_128",                      // 3
        "rn18_l3.0.conv1_128x28x28_k3s2_256",              // 1
        "rn18_l3.0.down_128x28x28_k1s2_256",               // 1
        "rn18_l3_256x14x14_k3s1_256",                      // 3
        "rn18_l4.0.conv1_256x14x14_k3s2_512",              // 1
        "rn18_l4.0.down_256x14x14_k1s2_512",               // 1
        "rn18_l4_512x7x7_k3s1_512",                        // 3
        "mbv2_f0_3x224x224_k3s2_32",                       // 1  the 3x3/2 stem
        "mbv2_f1.dw_32x112x112_k3s1g32_32",                // 1
        "mbv2_f1.project_32x112x112_k1s1_16",              // 1
        "mbv2_f2.expand_16x112x112_k1s1_96",               // 1
        "mbv2_f2.dw_96x112x112_k3s2g96_96",                // 1
        "mbv2_f2.project_96x56x56_k1s1_24",                // 1
        "mbv2_f3.expand_24x56x56_k1s1_144",                // 2  features.3, 4
        "mbv2_f3.dw_144x56x56_k3s1g144_144",               // 1
        "mbv2_f3.project_144x56x56_k1s1_24",               // 1
        "mbv2_f4.dw_144x56x56_k3s2g144_144",               // 1
        "mbv2_f4.project_144x28x28_k1s1_32",               // 1
        "mbv2_f5.expand_32x28x28_k1s1_192",                // 3  features.5-7
        "mbv2_f5.dw_192x28x28_k3s1g192_192",               // 2  features.5, 6
        "mbv2_f5.project_192x28x28_k1s1_32",               // 2  features.5, 6
        "mbv2_f7.dw_192x28x28_k3s2g192_192",               // 1
        "mbv2_f7.project_192x14x14_k1s1_64",               // 1
        "mbv2_f8.expand_64x14x14_k1s1_384",                // 4  features.8-11
        "mbv2_f8.dw_384x14x14_k3s1g384_384",               // 4  features.8-11
        "mbv2_f8.project_384x14x14_k1s1_64",               // 3  features.8-10
        "mbv2_f11.project_384x14x14_k1s1_96",              // 1
        "mbv2_f12.expand_96x14x14_k1s1_576",               // 3  features.12-14
        "mbv2_f12.dw_576x14x14_k3s1g576_576",              // 2  features.12, 13
        "mbv2_f12.project_576x14x14_k1s1_96",              // 2  features.12, 13
        "mbv2_f14.dw_576x14x14_k3s2g576_576",              // 1
        "mbv2_f14.project_576x7x7_k1s1_160",               // 1
        "mbv2_f15.expand_160x7x7_k1s1_960",                // 3  features.15-17
        "mbv2_f15.dw_960x7x7_k3s1g960_960",                // 3  features.15-17
        "mbv2_f15.project_960x7x7_k1s1_160",               // 2  features.15, 16
        "mbv2_f17.project_960x7x7_k1s1_320",               // 1
        "mbv2_f18_320x7x7_k1s1_1280",                      // 1  the last 1x1 to 1280
    })
    public String layer;

    /** One convolution at batch 1, as a {@link #layer} name spells it. */
    public record Shape(int inChannels, int height, int width, int kernel, int stride, int groups, int outChannels) {

        /** Parses the last three {@code _}-separated fields of a layer name. */
        public static Shape parse(String name) {
            String[] f = name.split("_");
            if (f.length < 4) {
                throw new IllegalArgumentException("ConvShapes: '" + name + "' is not <model>_<layer>_CxHxW_kKsS[gG]_Cout");
            }
            String[] chw = f[f.length - 3].split("x");
            String ks = f[f.length - 2];
            int s = ks.indexOf('s');
            int g = ks.indexOf('g');
            return new Shape(Integer.parseInt(chw[0]), Integer.parseInt(chw[1]), Integer.parseInt(chw[2]),
                    Integer.parseInt(ks.substring(1, s)), Integer.parseInt(ks.substring(s + 1, g < 0 ? ks.length() : g)),
                    g < 0 ? 1 : Integer.parseInt(ks.substring(g + 1)), Integer.parseInt(f[f.length - 1]));
        }

        public int padding() {
            return (kernel - 1) / 2;
        }

        public int outHeight() {
            return (height + 2 * padding() - kernel) / stride + 1;
        }

        public int outWidth() {
            return (width + 2 * padding() - kernel) / stride + 1;
        }

        /** Multiply-adds count two flops each, as for GEMM. */
        public double gflop() {
            return 2.0 * outChannels * outHeight() * outWidth() * (inChannels / groups) * kernel * kernel / 1e9;
        }

        /** The layer with seeded random weights; the same seed gives ours and ONNX Runtime the same weights. */
        public Conv2d newConv(long seed) {
            return new Conv2d(inChannels, outChannels, kernel, stride, padding(), 1, groups, false, new Random(seed));
        }

        /** A random input {@code [1, Cin, H, W]}. */
        public Tensor newInput(long seed) {
            return Tensor.randn(new Random(seed), 1, inChannels, height, width);
        }
    }

    /** The shape that {@link #layer} names. */
    public Shape shape() {
        return Shape.parse(layer);
    }
}
