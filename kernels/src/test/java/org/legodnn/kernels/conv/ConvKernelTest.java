package org.legodnn.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.check.Compare;
import org.legodnn.kernels.check.ConvCheck;
import org.legodnn.kernels.check.PackedConvCheck;
import org.legodnn.kernels.reference.ConvReference;

class ConvKernelTest {

    @Test
    void randomizedCheckPasses() {
        new ConvCheck().run(1);
        new ConvCheck().run(20261117);
    }

    @Test
    void pathsAgreeWithOneThreadAndWithMoreThreadsThanCores() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                Random rnd = new Random(threads);
                for (ConvGeometry g : ConvCheck.fixedShapes()) {
                    ConvCheck.checkConv(g, rnd, true);
                }
                for (int i = 0; i < 15; i++) {
                    ConvCheck.checkConv(ConvCheck.randomGeometry(rnd), rnd, rnd.nextBoolean());
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void handComputedExample() {
        // 3x3 input 1..9, 2x2 kernel [[1, 0], [0, -1]], no padding: y = x[i][j] - x[i+1][j+1] = -4 everywhere.
        ConvGeometry g = ConvGeometry.square(1, 1, 3, 3, 1, 2, 1, 0, 1, 1);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 0, 0, -1};
        float[] y = new float[4];
        ConvKernel.forward(g, x, w, new float[] {0.5f}, y);
        assertArrayEquals(new float[] {-3.5f, -3.5f, -3.5f, -3.5f}, y);

        // The same through the im2col path (two input channels, the second all zero).
        ConvGeometry g2 = ConvGeometry.square(1, 2, 3, 3, 1, 2, 1, 0, 1, 1);
        float[] x2 = new float[18];
        System.arraycopy(x, 0, x2, 0, 9);
        float[] w2 = {1, 0, 0, -1, 7, 7, 7, 7};
        ConvKernel.forward(g2, x2, w2, null, y);
        assertArrayEquals(new float[] {-4, -4, -4, -4}, y);

        // Padding 1, all-ones 3x3 kernel: each output is the sum of its 3x3 neighbourhood.
        ConvGeometry g3 = ConvGeometry.square(1, 2, 3, 3, 1, 3, 1, 1, 1, 1);
        float[] ones = new float[18];
        java.util.Arrays.fill(ones, 0, 9, 1f);
        float[] y3 = new float[9];
        ConvKernel.forward(g3, x2, ones, null, y3);
        assertArrayEquals(new float[] {12, 21, 16, 27, 45, 33, 24, 39, 28}, y3);
    }

    @Test
    void backwardPassesAreAdjointsOfTheForwardPass() {
        // <conv(x), gy> = <x, backwardInput(gy)> = <w, backwardWeight(x, gy)>: a check that needs no reference.
        Random rnd = new Random(7);
        for (int i = 0; i < 40; i++) {
            ConvGeometry g = ConvCheck.randomGeometry(rnd);
            float[] x = Compare.random(rnd, g.inputSize());
            float[] w = Compare.random(rnd, g.weightSize());
            float[] gy = Compare.random(rnd, g.outputSize());
            float[] y = new float[g.outputSize()];
            float[] gx = new float[g.inputSize()];
            float[] gw = new float[g.weightSize()];
            ConvKernel.forward(g, x, w, null, y);
            ConvKernel.backwardInput(g, gy, w, gx);
            ConvKernel.backwardWeight(g, x, gy, gw);
            double yy = dot(y, gy);
            double scale = 1e-4 * (1 + Math.sqrt((double) g.macs()));
            assertEquals(yy, dot(x, gx), scale, "input adjoint for " + g);
            assertEquals(yy, dot(w, gw), scale, "weight adjoint for " + g);
        }
    }

    @Test
    void largerShapesAgreeWithTheReference() {
        Random rnd = new Random(3);
        // ResNet- and MobileNet-like layers, big enough for every split in Gemm and the parallel copies.
        ConvCheck.checkConv(ConvGeometry.square(1, 16, 32, 32, 16, 3, 1, 1, 1, 1), rnd, false);
        ConvCheck.checkConv(ConvGeometry.square(2, 32, 16, 16, 32, 3, 1, 1, 1, 32), rnd, true);
        ConvCheck.checkConv(ConvGeometry.square(4, 16, 16, 16, 32, 3, 2, 1, 1, 1), rnd, false);
        ConvCheck.checkConv(ConvGeometry.square(2, 24, 14, 14, 64, 1, 1, 0, 1, 1), rnd, true);
        ConvCheck.checkConv(ConvGeometry.square(1, 3, 40, 40, 8, 7, 2, 3, 1, 1), rnd, false);
    }

    @Test
    void depthwise3x3SamePaddingAgreesWithTheReferenceAtEveryWidthAndTail() {
        // ConvDepthwise3x3: planes narrower and wider than a vector, one row or column, a tail after the last whole
        // vector, rows wide enough to go two at a time (an odd and an even number of rows, rows that are and are not
        // whole vectors), two outputs per input channel, more images than threads; plain and fused (clamp, residual).
        int saved = Parallel.threads();
        Random rnd = new Random(33);
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                for (int w : new int[] {1, 2, 5, 16, 17, 33, 48, 57, 64}) {
                    for (int h : new int[] {1, 2, 3, 5, 8}) {
                        int c = 1 + rnd.nextInt(4);
                        int mult = 1 + rnd.nextInt(2);
                        ConvGeometry g = new ConvGeometry(1 + rnd.nextInt(3), c, h, w, c * mult, 3, 3, 1, 1, 1, 1, 1,
                                1, c);
                        ConvCheck.checkConv(g, rnd, rnd.nextBoolean());
                        PackedConvCheck.checkConv(g, rnd);
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void depthwise3x3TailsSpillOnlyIntoPlanesOfTheSameThreadAndNotInPlace() {
        // ConvDepthwise3x3 stores a plane's last vector whole, over the next plane, when that plane is written
        // later by the same thread: many channels of planes that are no whole number of vectors, split over
        // threads, and the output written over the input, where no plane may be spilt into before it is read.
        int saved = Parallel.threads();
        Random rnd = new Random(35);
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                for (int side : new int[] {2, 3, 7, 14, 49, 56}) {
                    ConvGeometry g = new ConvGeometry(2, 96, side, side, 96, 3, 3, 1, 1, 1, 1, 1, 1, 96);
                    ConvCheck.checkConv(g, rnd, true);
                    float[] x = Compare.random(rnd, g.inputSize());
                    float[] w = Compare.random(rnd, g.weightSize());
                    float[] expected = new float[g.outputSize()];
                    ConvReference.forward(g, x, w, null, expected);
                    ConvKernel.forward(g, x, w, null, x);
                    Compare.assertClose("in-place depthwise " + g + ", " + threads + " threads", expected, x, 1e-4f,
                            1e-5f);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void stridedConvolutionsFromPhasePlanesAgreeWithTheReference() {
        // ConvDirect with a stride: phase planes of odd and even sizes, rows longer and shorter than a vector,
        // unequal strides, dilation, padding wider than the stride, a stem (3 input channels, 40 outputs).
        int saved = Parallel.threads();
        Random rnd = new Random(17);
        ConvGeometry[] shapes = {
            new ConvGeometry(1, 3, 23, 45, 40, 7, 7, 2, 2, 3, 3, 1, 1, 1),
            new ConvGeometry(2, 5, 17, 19, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1),
            new ConvGeometry(3, 4, 12, 40, 16, 3, 5, 2, 3, 1, 2, 1, 1, 1),
            new ConvGeometry(1, 6, 15, 15, 12, 3, 3, 3, 3, 2, 2, 2, 2, 2),
            new ConvGeometry(2, 8, 9, 8, 32, 2, 2, 2, 2, 0, 0, 1, 1, 1),
            new ConvGeometry(1, 2, 40, 70, 33, 5, 3, 2, 2, 2, 1, 1, 1, 1),
            new ConvGeometry(2, 5, 13, 17, 8, 3, 3, 2, 2, 2, 2, 2, 2, 1), // dilation 2, stride 2: one phase read
        };
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                for (ConvGeometry g : shapes) {
                    assertTrue(ConvDirect.suits(g), g.toString());
                    ConvCheck.checkConv(g, rnd, rnd.nextBoolean());
                    PackedConvCheck.checkConv(g, rnd);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void directWeightGradientsOfWiderLayersAgreeWithTheReference() {
        // ConvDirectGrad beyond ConvDirect's forward limit: 33 to 64 output channels per group, grouped, odd sizes.
        Random rnd = new Random(29);
        ConvGeometry[] shapes = {
            ConvGeometry.square(3, 8, 8, 8, 64, 3, 1, 1, 1, 1),
            new ConvGeometry(2, 8, 7, 9, 80, 3, 3, 1, 1, 1, 1, 1, 1, 2),
            new ConvGeometry(4, 5, 6, 11, 33, 3, 5, 1, 1, 0, 2, 1, 1, 1),
        };
        for (ConvGeometry g : shapes) {
            assertTrue(ConvDirectGrad.suits(g) && !ConvDirect.suits(g), g.toString());
            ConvCheck.checkConv(g, rnd, true);
        }
    }

    @Test
    void backwardBiasSumsOverImagesAndPositions() {
        float[] gy = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // [2, 2, 3]
        float[] gb = {Float.NaN, Float.NaN};
        ConvKernel.backwardBias(2, 2, 3, gy, gb);
        assertArrayEquals(new float[] {1 + 2 + 3 + 7 + 8 + 9, 4 + 5 + 6 + 10 + 11 + 12}, gb);
    }

    @Test
    void wrongArraySizesAreRejectedWithTheShape() {
        ConvGeometry g = ConvGeometry.square(1, 2, 5, 5, 3, 3, 1, 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvKernel.forward(g, new float[49], new float[g.weightSize()], null, new float[g.outputSize()]));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("50"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ConvKernel.forward(g, new float[50], new float[g.weightSize()], new float[2], new float[g.outputSize()]));
        assertThrows(IllegalArgumentException.class,
                () -> ConvKernel.backwardWeight(g, new float[50], new float[g.outputSize()], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> ConvKernel.backwardBias(1, 3, 25, new float[74], new float[3]));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
