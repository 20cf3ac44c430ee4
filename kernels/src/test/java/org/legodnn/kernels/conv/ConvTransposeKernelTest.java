package org.legodnn.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.legodnn.kernels.check.ConvCheck;

class ConvTransposeKernelTest {

    @Test
    void geometryFollowsPyTorchsOutputSize() {
        // nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1) on 7x7 gives 14x14.
        ConvGeometry g = ConvTransposeKernel.geometry(2, 16, 7, 7, 8, 3, 2, 1, 1, 1, 1);
        assertEquals(new ConvGeometry(2, 8, 14, 14, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1), g);
        assertEquals(7, g.outH());
        assertEquals(7, g.outW());
        // kernel 4, stride 2, padding 1 doubles: 5x3 -> 10x6; dilation 2, kernel 3: (5-1) + 4 + 1 = 9.
        ConvGeometry g2 = ConvTransposeKernel.geometry(1, 4, 5, 3, 6, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 2);
        assertEquals(10, g2.h());
        assertEquals(6, g2.w());
        assertEquals(9, ConvTransposeKernel.geometry(1, 1, 5, 5, 1, 3, 1, 0, 0, 2, 1).h());
    }

    @Test
    void handComputedExample() {
        // Stride 2, 2x2 kernel: each input value stamps its own 2x2 block of the output.
        ConvGeometry g = ConvTransposeKernel.geometry(1, 1, 2, 2, 1, 2, 2, 0, 0, 1, 1);
        float[] x = {1, 2, 3, 4};
        float[] w = {1, 10, 100, 1000};
        float[] y = new float[16];
        ConvTransposeKernel.forward(g, x, w, new float[] {0.5f}, y);
        assertArrayEquals(new float[] {
            1.5f, 10.5f, 2.5f, 20.5f,
            100.5f, 1000.5f, 200.5f, 2000.5f,
            3.5f, 30.5f, 4.5f, 40.5f,
            300.5f, 3000.5f, 400.5f, 4000.5f}, y);
    }

    @Test
    void randomTransposedConvolutionsAgreeWithTheDefinition() {
        Random rnd = new Random(11);
        ConvCheck.checkTransposed(2, 16, 7, 7, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, rnd);
        ConvCheck.checkTransposed(1, 6, 5, 9, 4, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, 2, rnd);
        ConvCheck.checkTransposed(3, 5, 6, 6, 5, 3, 3, 3, 3, 0, 0, 2, 1, 1, 1, 5, rnd);   // depthwise
        ConvCheck.checkTransposed(2, 3, 4, 5, 7, 5, 3, 1, 2, 2, 0, 0, 1, 2, 1, 1, rnd);   // unequal axes
        ConvCheck.checkTransposed(1, 4, 1, 1, 3, 7, 7, 1, 1, 3, 3, 0, 0, 1, 1, 1, rnd);   // 1x1 input
        ConvCheck.checkTransposed(2, 8, 6, 6, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, rnd);   // pointwise
    }

    @Test
    void invalidTransposedConvolutionsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ConvTransposeKernel.geometry(1, 2, 4, 4, 2, 3, 2, 1, 2, 1, 1));   // output padding >= stride
        assertThrows(IllegalArgumentException.class,
                () -> ConvTransposeKernel.geometry(1, 2, 1, 1, 2, 1, 1, 1, 0, 1, 1));   // output size 1 - 2 = -1
        assertThrows(IllegalArgumentException.class,
                () -> ConvTransposeKernel.geometry(1, 3, 4, 4, 2, 3, 1, 0, 0, 1, 2));   // groups do not divide
    }
}
