package org.legodnn.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.nn.Module;
import org.legodnn.tensor.Autograd;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.SafetensorsFile;

/**
 * {@code yolov3_resnet18}'s structure against its PyTorch definition ({@code tools/reference/yolov3_resnet18.py}):
 * a width-2 copy with random weights and BatchNorm statistics, saved by PyTorch 1.13 with its eval-mode output
 * for one 96×96 input, loads by name with nothing missing or left over and gives PyTorch's output, which pins
 * the parameter names, the neck's wiring (concat order, upsampling) and the flat output layout.
 */
class YoloV3ResNetTest {

    @Test
    void matchesItsPyTorchDefinition() throws IOException {
        SafetensorsFile f = fixture("yolov3_w2.safetensors");
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : f.names()) {
            if (name.startsWith("model.")) {
                state.put(name.substring("model.".length()), f.tensor(name));
            }
        }
        YoloV3ResNet model = new YoloV3ResNet(1, 10, 2, 3);
        Module.LoadResult r = model.loadStateDict(state, true);
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty(), r.toString());
        assertEquals(model.stateDict().keySet(), state.keySet());
        model.eval();
        Tensor expected = f.tensor("output");
        Tensor actual;
        try (var noGrad = Autograd.noGrad()) {
            actual = model.forward(f.tensor("input"));
        }
        assertArrayEquals(expected.shape(), actual.shape());
        float max = 0;
        for (float v : expected.data()) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.data()[i], actual.data()[i], 1e-4 * Math.max(1, max), "output " + i);
        }
    }

    private static SafetensorsFile fixture(String name) throws IOException {
        try (InputStream in = YoloV3ResNetTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "test resource " + name + " is missing");
            return SafetensorsFile.fromBytes(name, in.readAllBytes());
        }
    }
}
