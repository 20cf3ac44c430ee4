package org.legodnn.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.pool.PoolGeometry;
import org.legodnn.kernels.check.Compare;
import org.legodnn.kernels.check.ConvCheck;
import org.legodnn.kernels.reference.BatchNormReference;
import org.legodnn.kernels.reference.ConvReference;
import org.legodnn.kernels.reference.GemmReference;
import org.legodnn.kernels.reference.PoolReference;
import org.legodnn.kernels.reference.UpsampleReference;

/** Every OpenCL kernel against the scalar references, on odd shapes, edges of size 1 and tile tails. */
class OpenClKernelsTest {

    private final OpenClDevice device = OpenClTestDevice.get();
    private final OpenClKernels k = OpenClTestDevice.kernels();

    // ---- GEMM ---------------------------------------------------------------------------------------------

    @Test
    void gemmMatchesTheReferenceOnTileEdgesTransposesAndOffsets() {
        Random rnd = new Random(1);
        int[][] shapes = {{1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {63, 65, 17}, {64, 64, 16}, {65, 63, 33}, {130, 7, 70},
                {3, 200, 1}, {17, 17, 0},
                // fewer rows than OpenClKernels.DOT_MAX_ROWS and a long reduction: the one-group-per-value kernel
                {1, 7, 300}, {5, 65, 129}, {7, 3, 1000}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                int m = s[0];
                int n = s[1];
                int kk = s[2];
                int lda = (ta ? m : kk) + rnd.nextInt(3);
                int ldb = (tb ? kk : n) + rnd.nextInt(3);
                int ldc = n + rnd.nextInt(3);
                int aOff = rnd.nextInt(5);
                int bOff = rnd.nextInt(5);
                int cOff = rnd.nextInt(5);
                float[] a = Compare.random(rnd, aOff + lda * (ta ? kk : m) + 1);
                float[] b = Compare.random(rnd, bOff + ldb * (tb ? n : kk) + 1);
                float[] c = Compare.random(rnd, cOff + ldc * m + 1);
                float[] expected = c.clone();
                GemmReference.sgemm(ta, tb, m, n, kk, a, aOff, lda, b, bOff, ldb, false, expected, cOff, ldc);
                try (DeviceBuffer da = device.upload(a); DeviceBuffer db = device.upload(b); DeviceBuffer dc = device.upload(c)) {
                    k.gemm(ta, tb, m, n, kk, da, aOff, lda, db, bOff, ldb, dc, cOff, ldc);
                    float[] actual = device.download(dc, c.length);
                    Compare.assertClose("gemm " + m + "x" + n + "x" + kk + " transA=" + ta + " transB=" + tb,
                            expected, actual, 1e-4f, 1e-4f);
                }
            }
        }
    }

    @Test
    void onnxGemmBroadcastsItsBiasScalesAndClamps() {
        Random rnd = new Random(2);
        int m = 9;
        int n = 70;
        int kk = 33;
        float alpha = 0.5f;
        float beta = -2f;
        float[] a = Compare.random(rnd, m * kk);
        float[] b = Compare.random(rnd, n * kk); // stored [n, k]: transB
        float[] product = new float[m * n];
        GemmReference.sgemm(false, true, m, n, kk, a, 0, kk, b, 0, kk, false, product, 0, n);
        // Bias per column [n], per row [m, 1], full [m, n].
        int[][] strides = {{0, 1}, {1, 0}, {n, 1}};
        for (int[] st : strides) {
            float[] c = Compare.random(rnd, st[0] == n ? m * n : Math.max(m, n));
            float[] expected = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float v = alpha * product[i * n + j] + beta * c[i * st[0] + j * st[1]];
                    expected[i * n + j] = Math.min(Math.max(v, 0f), 6f);
                }
            }
            try (DeviceBuffer da = device.upload(a); DeviceBuffer db = device.upload(b); DeviceBuffer dc = device.upload(c);
                 DeviceBuffer dy = device.allocate(m * n)) {
                k.gemm(false, true, m, n, kk, alpha, da, db, beta, dc, st[0], st[1], Clamp.RELU6, dy);
                Compare.assertClose("gemm bias strides " + st[0] + "," + st[1], expected, device.download(dy, m * n),
                        1e-4f, 1e-4f);
            }
        }
    }

    @Test
    void linearAndBatchedMatmul() {
        Random rnd = new Random(3);
        for (int[] s : new int[][] {{3, 37, 11}, {1, 515, 10}}) {
            linear(rnd, s[0], s[1], s[2]);
        }
        int batch = 4;
        int m = 5;
        int n = 6;
        int kk = 7;
        for (int shareA = 0; shareA < 2; shareA++) {
            int aStride = shareA == 1 ? 0 : m * kk;
            float[] a = Compare.random(rnd, shareA == 1 ? m * kk : batch * m * kk);
            float[] b = Compare.random(rnd, batch * kk * n);
            float[] y = new float[batch * m * n];
            for (int t = 0; t < batch; t++) {
                GemmReference.sgemm(false, false, m, n, kk, a, t * aStride, kk, b, t * kk * n, n, false, y, t * m * n, n);
            }
            try (DeviceBuffer da = device.upload(a); DeviceBuffer db = device.upload(b); DeviceBuffer dy = device.allocate(y.length)) {
                k.matmulBatched(batch, m, n, kk, da, aStride, db, kk * n, dy);
                Compare.assertClose("batched matmul, shared A " + (shareA == 1), y, device.download(dy, y.length), 1e-4f, 1e-5f);
            }
        }
    }

    private void linear(Random rnd, int rows, int in, int out) {
        float[] x = Compare.random(rnd, rows * in);
        float[] w = Compare.random(rnd, out * in);
        float[] bias = Compare.random(rnd, out);
        float[] expected = new float[rows * out];
        GemmReference.sgemm(false, true, rows, out, in, x, 0, in, w, 0, in, false, expected, 0, out);
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Math.max(0f, expected[i] + bias[i % out]);
        }
        try (DeviceBuffer dx = device.upload(x); DeviceBuffer dw = device.upload(w); DeviceBuffer db = device.upload(bias);
             DeviceBuffer dy = device.allocate(rows * out)) {
            k.linear(rows, in, out, dx, dw, db, Clamp.RELU, dy);
            Compare.assertClose("linear " + rows + "x" + in + "x" + out, expected, device.download(dy, rows * out),
                    1e-4f, 1e-5f);
        }
    }

    // ---- convolution --------------------------------------------------------------------------------------

    @Test
    void everyConvPathMatchesTheReferenceWithBiasResidualAndClamp() {
        Random rnd = new Random(4);
        java.util.List<ConvGeometry> shapes = new java.util.ArrayList<>(java.util.List.of(ConvCheck.fixedShapes()));
        shapes.add(ConvGeometry.square(1, 3, 17, 17, 8, 7, 2, 3, 1, 1));   // ResNet stem, small
        shapes.add(ConvGeometry.square(2, 16, 9, 9, 70, 3, 1, 1, 1, 1));  // cout over a tile
        shapes.add(ConvGeometry.square(1, 32, 6, 6, 32, 3, 1, 1, 1, 8));  // ResNeXt's grouped 3x3
        for (int i = 0; i < 25; i++) {
            shapes.add(ConvCheck.randomGeometry(rnd));
        }
        for (ConvGeometry g : shapes) {
            float[] x = Compare.random(rnd, g.inputSize());
            float[] w = Compare.random(rnd, g.weightSize());
            float[] bias = Compare.random(rnd, g.cout());
            float[] res = Compare.random(rnd, g.outputSize());
            float[] plain = new float[g.outputSize()];
            ConvReference.forward(g, x, w, bias, plain);
            float[] fused = new float[plain.length];
            for (int i = 0; i < plain.length; i++) {
                fused[i] = Math.min(Math.max(plain[i] + res[i], 0f), 6f);
            }
            try (DeviceBuffer dx = device.upload(x); DeviceBuffer dw = device.upload(w); DeviceBuffer db = device.upload(bias);
                 DeviceBuffer dr = device.upload(res); DeviceBuffer dy = device.allocate(g.outputSize())) {
                for (ConvPath path : ConvPath.values()) {
                    if (!path.accepts(g)) {
                        continue;
                    }
                    k.conv2d(g, dx, dw, db, null, Clamp.NONE, dy, path);
                    Compare.assertClose(path + " " + g, plain, device.download(dy, plain.length), 1e-4f, 1e-4f);
                    k.conv2d(g, dx, dw, db, dr, Clamp.RELU6, dy, path);
                    Compare.assertClose(path + " fused " + g, fused, device.download(dy, plain.length), 1e-4f, 1e-4f);
                }
            }
        }
    }

    @Test
    void convPathsAreChosenByShape() {
        assertEquals(ConvPath.DEPTHWISE, ConvPath.choose(ConvGeometry.square(1, 32, 8, 8, 32, 3, 1, 1, 1, 32)));
        assertEquals(ConvPath.GEMM_1X1, ConvPath.choose(ConvGeometry.square(1, 32, 8, 8, 64, 1, 1, 0, 1, 1)));
        assertEquals(ConvPath.IM2COL_GEMM, ConvPath.choose(ConvGeometry.square(1, 64, 8, 8, 64, 3, 1, 1, 1, 1)));
        assertEquals(ConvPath.IM2COL_GEMM, ConvPath.choose(ConvGeometry.square(1, 32, 8, 8, 64, 1, 2, 0, 1, 1)));
        assertEquals(ConvPath.DIRECT, ConvPath.choose(ConvGeometry.square(1, 1, 8, 8, 8, 3, 1, 1, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> {
            ConvGeometry g = ConvGeometry.square(1, 4, 4, 4, 4, 3, 1, 1, 1, 1);
            try (DeviceBuffer b = device.allocate(256)) {
                k.conv2d(g, b, b, null, null, Clamp.NONE, b, ConvPath.GEMM_1X1);
            }
        });
    }

    // ---- pooling ------------------------------------------------------------------------------------------

    @Test
    void poolingMatchesTheReference() {
        Random rnd = new Random(5);
        PoolGeometry[] shapes = {
            PoolGeometry.square(1, 3, 7, 7, 3, 2, 1, false),
            PoolGeometry.square(2, 5, 8, 9, 3, 2, 1, true),
            PoolGeometry.square(1, 2, 6, 6, 2, 2, 0, false),
            PoolGeometry.square(3, 1, 5, 11, 3, 1, 1, false),
            new PoolGeometry(1, 4, 9, 10, 3, 2, 2, 3, 1, 1, true),
            PoolGeometry.square(1, 1, 1, 1, 1, 1, 0, false),
        };
        for (PoolGeometry g : shapes) {
            float[] x = Compare.random(rnd, g.inputSize());
            Pool2dShape s = Pool2dShape.of(g);
            try (DeviceBuffer dx = device.upload(x); DeviceBuffer dy = device.allocate(g.outputSize())) {
                float[] expected = new float[g.outputSize()];
                PoolReference.maxForward(g, x, expected, null);
                k.maxPool2d(s, dx, dy);
                Compare.assertClose("max pool " + g, expected, device.download(dy, expected.length), 0f, 0f);
                for (boolean include : new boolean[] {false, true}) {
                    PoolReference.avgForward(g, include, x, expected);
                    k.avgPool2d(s, include, dx, dy);
                    Compare.assertClose("avg pool " + g + " include " + include, expected,
                            device.download(dy, expected.length), 1e-5f, 1e-6f);
                }
            }
        }
        int n = 2;
        int c = 5;
        int hw = 49;
        float[] x = Compare.random(rnd, n * c * hw);
        float[] expected = new float[n * c];
        PoolReference.globalAvgForward(n, c, hw, x, expected);
        try (DeviceBuffer dx = device.upload(x); DeviceBuffer dy = device.allocate(n * c)) {
            k.globalAvgPool(n * c, hw, dx, dy);
            Compare.assertClose("global avg pool", expected, device.download(dy, n * c), 1e-5f, 1e-6f);
        }
    }

    // ---- elementwise --------------------------------------------------------------------------------------

    @Test
    void elementwiseOpsMatchTheirDefinitions() {
        Random rnd = new Random(6);
        int count = 1003;
        float[] a = Compare.random(rnd, count);
        float[] b = Compare.random(rnd, count);
        for (int i = 0; i < count; i++) {
            a[i] *= 8f;
        }
        a[5] = Float.NaN;
        try (DeviceBuffer da = device.upload(a); DeviceBuffer db = device.upload(b); DeviceBuffer dy = device.allocate(count)) {
            for (Clamp c : new Clamp[] {Clamp.NONE, Clamp.RELU, Clamp.RELU6, new Clamp(-0.5f, 0.25f)}) {
                float[] expected = new float[count];
                float[] sum = new float[count];
                for (int i = 0; i < count; i++) {
                    expected[i] = clampNan(a[i], c);
                    sum[i] = clampNan(a[i] + b[i], c);
                }
                k.clamp(count, da, c, dy);
                Compare.assertClose("clamp " + c, expected, device.download(dy, count), 0f, 0f);
                k.add(count, da, db, c, dy);
                Compare.assertClose("add " + c, sum, device.download(dy, count), 0f, 0f);
            }
            for (OpenClKernels.Unary op : OpenClKernels.Unary.values()) {
                float[] expected = new float[count];
                for (int i = 0; i < count; i++) {
                    float v = a[i];
                    expected[i] = switch (op) {
                        case LEAKY_RELU -> v >= 0 ? v : 0.1f * v;
                        case SIGMOID -> (float) (1 / (1 + Math.exp(-v)));
                        case HARD_SIGMOID -> Math.max(0f, Math.min(1f, 0.2f * v + 0.5f));
                        case HARD_SWISH -> v * Math.max(0f, Math.min(6f, v + 3f)) / 6f;
                        case TANH -> (float) Math.tanh(v);
                        case EXP -> (float) Math.exp(v);
                    };
                }
                float p0 = op == OpenClKernels.Unary.LEAKY_RELU ? 0.1f : 0.2f;
                k.unary(op, p0, 0.5f, count, da, dy);
                Compare.assertClose(op.toString(), expected, device.download(dy, count), 1e-5f, 1e-6f);
            }
        }
    }

    @Test
    void broadcastingBinaryOps() {
        Random rnd = new Random(7);
        // [2, 3, 4, 5] op [3, 1, 1] (per-channel), op [5] (last axis), op [] (scalar).
        int[] shape = {2, 3, 4, 5};
        float[] a = Compare.random(rnd, 120);
        int[][] bShapes = {{3, 1, 1}, {5}, {}, {2, 3, 4, 5}};
        for (int[] bs : bShapes) {
            int bCount = 1;
            for (int d : bs) {
                bCount *= d;
            }
            float[] b = Compare.random(rnd, bCount);
            for (int i = 0; i < b.length; i++) {
                b[i] += Math.signum(b[i]) * 0.5f; // away from 0: DIV
            }
            int[] aStrides = {60, 20, 5, 1};
            int[] bStrides = new int[4];
            int stride = 1;
            for (int d = bs.length - 1; d >= 0; d--) {
                bStrides[d + 4 - bs.length] = bs[d] == 1 ? 0 : stride;
                stride *= bs[d];
            }
            for (OpenClKernels.Binary op : OpenClKernels.Binary.values()) {
                float[] expected = new float[120];
                for (int i = 0; i < 120; i++) {
                    int bo = 0;
                    int rest = i;
                    for (int d = 3; d >= 0; d--) {
                        bo += (rest % shape[d]) * bStrides[d];
                        rest /= shape[d];
                    }
                    float u = a[i];
                    float v = b[bo];
                    expected[i] = switch (op) {
                        case ADD -> u + v;
                        case SUB -> u - v;
                        case MUL -> u * v;
                        case DIV -> u / v;
                    };
                }
                try (DeviceBuffer da = device.upload(a); DeviceBuffer db = device.upload(b); DeviceBuffer dy = device.allocate(120)) {
                    k.broadcast(op, shape, aStrides, bStrides, da, db, dy);
                    Compare.assertClose(op + " with " + java.util.Arrays.toString(bs), expected, device.download(dy, 120),
                            1e-6f, 0f);
                }
            }
        }
    }

    @Test
    void channelAffineIsAnInferenceBatchNorm() {
        Random rnd = new Random(8);
        int n = 2;
        int c = 7;
        int hw = 13;
        float[] x = Compare.random(rnd, n * c * hw);
        float[] gamma = Compare.random(rnd, c);
        float[] beta = Compare.random(rnd, c);
        float[] mean = Compare.random(rnd, c);
        float[] var = new float[c];
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            var[i] = rnd.nextFloat() + 0.1f;
            scale[i] = (float) (gamma[i] / Math.sqrt(var[i] + 1e-5));
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        float[] expected = new float[x.length];
        BatchNormReference.evalForward(n, c, hw, x, gamma, beta, mean, var, 1e-5f, expected);
        try (DeviceBuffer dx = device.upload(x); DeviceBuffer ds = device.upload(scale); DeviceBuffer dt = device.upload(shift);
             DeviceBuffer dy = device.allocate(x.length)) {
            k.channelAffine(n, c, hw, dx, ds, dt, Clamp.NONE, dy);
            Compare.assertClose("channel affine", expected, device.download(dy, x.length), 1e-5f, 1e-5f);
        }
    }

    // ---- layout -------------------------------------------------------------------------------------------

    @Test
    void concatPartsFillTheirPlaces() {
        Random rnd = new Random(9);
        // [2, 3, 4] ++ [2, 5, 4] along axis 1 -> [2, 8, 4].
        float[] a = Compare.random(rnd, 24);
        float[] b = Compare.random(rnd, 40);
        float[] expected = new float[64];
        for (int o = 0; o < 2; o++) {
            System.arraycopy(a, o * 12, expected, o * 32, 12);
            System.arraycopy(b, o * 20, expected, o * 32 + 12, 20);
        }
        try (DeviceBuffer da = device.upload(a); DeviceBuffer db = device.upload(b); DeviceBuffer dy = device.allocate(64)) {
            k.concatPart(2, 12, da, 32, 0, dy);
            k.concatPart(2, 20, db, 32, 12, dy);
            Compare.assertClose("concat", expected, device.download(dy, 64), 0f, 0f);
        }
    }

    /**
     * Transposed convolutions against PyTorch's scattering definition: U-Net's 2×2 stride 2, a 3×3 stride 2 with
     * padding and output padding, grouped and dilated with unequal strides, and 1×1 edges.
     */
    @Test
    void convTransposeMatchesTheReference() {
        Random rnd = new Random(12);
        // n, cin, h, w, cout, k, strideH, strideW, pad, outPad, dilation, groups, bias
        int[][] cases = {{2, 8, 4, 4, 4, 2, 2, 2, 0, 0, 1, 1, 1}, {1, 3, 5, 7, 6, 3, 2, 2, 1, 1, 1, 1, 0},
            {2, 4, 3, 5, 6, 3, 3, 2, 1, 0, 2, 2, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1},
            {1, 5, 6, 2, 3, 4, 1, 3, 2, 2, 1, 1, 0}};
        for (int[] c : cases) {
            int n = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], kk = c[5], sh = c[6], sw = c[7], pad = c[8];
            int outPad = c[9], dil = c[10], groups = c[11];
            int oh = (h - 1) * sh - 2 * pad + dil * (kk - 1) + 1 + outPad;
            int ow = (w - 1) * sw - 2 * pad + dil * (kk - 1) + 1 + outPad;
            ConvTranspose2dShape s = new ConvTranspose2dShape(n, cin, h, w, cout, oh, ow, kk, kk, sh, sw, pad, pad, dil,
                    dil, groups);
            float[] x = Compare.random(rnd, (int) s.inputSize());
            float[] wt = Compare.random(rnd, (int) s.weightSize());
            float[] bias = c[12] == 1 ? Compare.random(rnd, cout) : null;
            float[] expected = new float[(int) s.outputSize()];
            ConvReference.transposedForward(n, cin, h, w, cout, kk, kk, sh, sw, pad, pad, oh, ow, dil, dil, groups, x,
                    wt, bias, expected);
            try (DeviceBuffer dx = device.upload(x); DeviceBuffer dw = device.upload(wt);
                 DeviceBuffer db = bias == null ? null : device.upload(bias);
                 DeviceBuffer dy = device.allocate(expected.length)) {
                k.convTranspose2d(s, dx, dw, db, dy);
                Compare.assertClose("conv_transpose " + s, expected, device.download(dy, expected.length), 1e-5f, 1e-5f);
            }
        }
    }

    @Test
    void sliceTakesEveryStepthRowOfTheAxis() {
        Random rnd = new Random(11);
        // [2, 7, 3] -> x[:, 1:6:2, :] = [2, 3, 3].
        float[] x = Compare.random(rnd, 42);
        float[] expected = new float[18];
        for (int o = 0; o < 2; o++) {
            for (int k2 = 0; k2 < 3; k2++) {
                System.arraycopy(x, (o * 7 + 1 + 2 * k2) * 3, expected, (o * 3 + k2) * 3, 3);
            }
        }
        try (DeviceBuffer dx = device.upload(x); DeviceBuffer dy = device.allocate(18)) {
            k.slice(2, 7, 3, 1, 3, 2, dx, dy);
            Compare.assertClose("slice", expected, device.download(dy, 18), 0f, 0f);
            assertThrows(IllegalArgumentException.class, () -> k.slice(2, 7, 3, 1, 4, 2, dx, dy));
        }
    }

    @Test
    void softmaxAlongTheMiddleAxis() {
        Random rnd = new Random(12);
        // [3, 5, 7] along axis 1: rows are 7 apart in memory.
        float[] x = Compare.random(rnd, 105);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 10f;
        }
        float[] expected = new float[105];
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 7; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < 5; c++) {
                    max = Math.max(max, x[(o * 5 + c) * 7 + i]);
                }
                double sum = 0;
                for (int c = 0; c < 5; c++) {
                    sum += Math.exp(x[(o * 5 + c) * 7 + i] - max);
                }
                for (int c = 0; c < 5; c++) {
                    expected[(o * 5 + c) * 7 + i] = (float) (Math.exp(x[(o * 5 + c) * 7 + i] - max) / sum);
                }
            }
        }
        try (DeviceBuffer dx = device.upload(x); DeviceBuffer dy = device.allocate(105)) {
            k.softmax(3, 5, 7, dx, dy);
            Compare.assertClose("softmax", expected, device.download(dy, 105), 1e-5f, 1e-7f);
        }
    }

    @Test
    void resizeMatchesNearestAndBilinearUpsampling() {
        Random rnd = new Random(10);
        int n = 2;
        int c = 3;
        int h = 5;
        int w = 7;
        float[] x = Compare.random(rnd, n * c * h * w);
        try (DeviceBuffer dx = device.upload(x)) {
            // nearest x2 x3
            int oh = h * 2;
            int ow = w * 3;
            float[] expected = new float[n * c * oh * ow];
            UpsampleReference.nearestForward(n, c, h, w, 2, 3, x, expected);
            int[] rows = new int[oh];
            int[] cols = new int[ow];
            for (int i = 0; i < oh; i++) {
                rows[i] = i / 2;
            }
            for (int j = 0; j < ow; j++) {
                cols[j] = j / 3;
            }
            try (DeviceBuffer dy = device.allocate(expected.length)) {
                k.resize(n * c, h, w, oh, ow, rows, rows, new float[oh], cols, cols, new float[ow], dx, dy);
                Compare.assertClose("nearest", expected, device.download(dy, expected.length), 0f, 0f);
            }
            // bilinear to 11x4 (up one axis, down the other)
            oh = 11;
            ow = 4;
            expected = new float[n * c * oh * ow];
            UpsampleReference.bilinearForward(n, c, h, w, oh, ow, x, expected);
            int[][] lo = new int[2][];
            int[][] hi = new int[2][];
            float[][] frac = new float[2][];
            int[] outs = {oh, ow};
            int[] ins = {h, w};
            for (int axis = 0; axis < 2; axis++) {
                lo[axis] = new int[outs[axis]];
                hi[axis] = new int[outs[axis]];
                frac[axis] = new float[outs[axis]];
                for (int o = 0; o < outs[axis]; o++) {
                    float[] tap = UpsampleReference.tap(ins[axis], outs[axis], o);
                    lo[axis][o] = (int) tap[0];
                    hi[axis][o] = (int) tap[1];
                    frac[axis][o] = tap[3];
                }
            }
            try (DeviceBuffer dy = device.allocate(expected.length)) {
                k.resize(n * c, h, w, oh, ow, lo[0], hi[0], frac[0], lo[1], hi[1], frac[1], dx, dy);
                Compare.assertClose("bilinear", expected, device.download(dy, expected.length), 1e-5f, 1e-6f);
            }
        }
    }

    // ---- device, pool, errors -----------------------------------------------------------------------------

    @Test
    void theBufferPoolReusesMemoryBySize() {
        long before = device.allocatedBytes();
        DeviceBuffer a = device.allocate(12345);
        long after = device.allocatedBytes();
        a.close();
        DeviceBuffer b = device.allocate(12345);
        assertEquals(after, device.allocatedBytes(), "the second buffer of the same size comes from the pool");
        b.close();
        assertTrue(after >= before);
        assertThrows(IllegalStateException.class, () -> device.read(a, new float[1]), "a closed buffer cannot be read");
    }

    @Test
    void devicesAreListedAndPickedByIndexOrName() {
        var all = OpenClDevice.list();
        assertTrue(!all.isEmpty());
        OpenClDeviceInfo first = all.get(0);
        assertTrue(first.describe().startsWith("opencl:0"), first.describe());
        try (OpenClDevice byName = OpenClDevice.open("opencl:" + first.name().substring(0, Math.min(4, first.name().length())))) {
            assertEquals(first.name(), byName.info().name());
        }
        OpenClException e = assertThrows(OpenClException.class, () -> OpenClDevice.open("opencl:99"));
        assertTrue(e.getMessage().startsWith("no OpenCL device 99"), e.getMessage());
        e = assertThrows(OpenClException.class, () -> OpenClDevice.open("opencl:no-such-device-name"));
        assertTrue(e.getMessage().contains("no-such-device-name") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void errorsNameTheKernelAndTheStatus() {
        OpenClException e = OpenClException.failed(-54, "kernel gemm_tiled");
        assertEquals("OpenCL CL_INVALID_WORK_GROUP_SIZE (-54) in kernel gemm_tiled", e.getMessage());
        assertEquals(-54, e.status());
        // A real failure from the runtime: a grid that is not a multiple of gemm_tiled's fixed work-group.
        OpenClException launch = assertThrows(OpenClException.class, () -> {
            try (DeviceBuffer b = device.allocate(16)) {
                device.call("gemm.cl", "gemm_tiled").arg(1).arg(1).arg(1)
                        .arg(b).arg(0).arg(1).arg(1).arg(1).arg(0)
                        .arg(b).arg(0).arg(1).arg(1).arg(0)
                        .arg(b).arg(0).arg(1).arg(0)
                        .arg(b).arg(0).arg(0).arg(0).arg(0).arg(0)
                        .arg(b).arg(0).arg(0)
                        .arg(1f).arg(1f).arg(0f).arg(1f)
                        .launch(new long[] {8, 8, 1}, new long[] {8, 8, 1});
            }
        });
        assertTrue(launch.getMessage().contains("kernel gemm_tiled") && launch.getMessage().contains("CL_INVALID"),
                launch.getMessage());
        OpenClException build = assertThrows(OpenClException.class, () -> device.call("no-such-file.cl", "x"));
        assertTrue(build.getMessage().contains("no-such-file.cl"), build.getMessage());
    }

    private static float clampNan(float v, Clamp c) {
        if (Float.isNaN(v)) {
            return v;
        }
        return Math.min(Math.max(v, c.lo()), c.hi());
    }
}
