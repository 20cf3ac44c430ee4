package org.legodnn.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad shapes must fail at the op with a message that names the op and both shapes, not deep in a kernel. */
class OpsShapeErrorTest {

    @Test
    void conv2dNamesChannelsAndBothShapes() {
        String m = message(() -> Ops.conv2d(Tensor.zeros(2, 3, 8, 8), Tensor.zeros(16, 4, 3, 3), null, 1, 1, 1, 1));
        assertMentions(m, "conv2d", "[2, 3, 8, 8]", "[16, 4, 3, 3]", "expects 4", "groups 1");
    }

    @Test
    void addNamesBothShapes() {
        assertMentions(message(() -> Ops.add(Tensor.zeros(2, 3), Tensor.zeros(3, 2))), "add", "[2, 3]", "[3, 2]");
    }

    @Test
    void linearNamesInputAndWeight() {
        String m = message(() -> Ops.linear(Tensor.zeros(4, 10), Tensor.zeros(5, 12), null));
        assertMentions(m, "linear", "[4, 10]", "[5, 12]");
    }

    @Test
    void matmulNamesBothOperands() {
        assertMentions(message(() -> Ops.matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5))), "matmul", "[2, 3]", "[4, 5]");
    }

    @Test
    void concatNamesTheMismatchedTensor() {
        String m = message(() -> Ops.concat(Tensor.zeros(1, 2, 4, 4), Tensor.zeros(1, 3, 5, 4)));
        assertMentions(m, "concat", "[1, 2, 4, 4]", "[1, 3, 5, 4]");
    }

    @Test
    void batchNormNamesTheStatisticAndInput() {
        String m = message(() -> Ops.batchNorm2d(Tensor.zeros(2, 3, 4, 4), Tensor.zeros(4), null, Tensor.zeros(3),
                Tensor.zeros(3), false, 0.1f, 1e-5f));
        assertMentions(m, "batch_norm2d", "[4]", "[2, 3, 4, 4]");
    }

    @Test
    void reshapeNamesBothShapes() {
        assertMentions(message(() -> Ops.reshape(Tensor.zeros(2, 3), 4, 2)), "reshape", "[2, 3]", "[4, 2]");
    }

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message \"" + message + "\" should mention " + p);
        }
    }
}
