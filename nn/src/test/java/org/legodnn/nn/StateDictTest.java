package org.legodnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/** Names, order, counts and strict-loading errors of state dicts, checked against the PyTorch files. */
class StateDictTest {

    @Test
    void resnet20HasTheManifestsParameterCounts() throws IOException {
        assertEquals(((Number) Reference.manifestEntry("models", "cifar_resnet20").get("params")).longValue(),
                CifarResNet.resnet20().parameterCount());
        assertEquals(272474L, CifarResNet.resnet20().parameterCount());
        assertEquals(((Number) Reference.manifestEntry("models", "cifar_resnet20_gray").get("params")).longValue(),
                new CifarResNet(20, 1, 10).parameterCount());
    }

    @Test
    void namesShapesAndOrderMatchThePyTorchStateDict() throws IOException {
        SafetensorsFile file = SafetensorsFile.open(
                ReferenceData.pytorch().resolve("models/cifar_resnet20/state_dict.safetensors"));
        Map<String, Tensor> own = CifarResNet.resnet20().stateDict();
        List<String> withoutCounters = new ArrayList<>();
        for (String k : own.keySet()) {
            if (!k.endsWith("num_batches_tracked")) {
                withoutCounters.add(k);
            }
        }
        assertEquals(file.names(), withoutCounters);
        for (String k : file.names()) {
            assertArrayEquals(file.entry(k).shape(), own.get(k).shape(), k);
        }
        assertTrue(own.containsKey("layer2.0.shortcut.1.num_batches_tracked"));
        assertFalse(own.containsKey("layer1.0.shortcut.0.weight"), "identity shortcut has no weights");
    }

    @Test
    void deeperVariantsHaveNBlocksPerStage() {
        CifarResNet r56 = new CifarResNet(56, 3, 100);
        assertEquals(9, r56.layer1().size());
        assertTrue(r56.stateDict().containsKey("layer3.8.bn2.running_var"));
        assertArrayEquals(new int[] {100, 64}, r56.fc().weight().shape());
        assertThrows(IllegalArgumentException.class, () -> new CifarResNet(21, 3, 10));
    }

    @Test
    void strictLoadNamesAMissingKeyAndItsShape() {
        CifarResNet model = CifarResNet.resnet20();
        Map<String, Tensor> state = copy(model.stateDict());
        state.remove("layer2.0.conv1.weight");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(state, true));
        assertTrue(e.getMessage().contains("missing key 'layer2.0.conv1.weight'"), e.getMessage());
        assertTrue(e.getMessage().contains("[32, 16, 3, 3]"), e.getMessage());
    }

    @Test
    void strictLoadNamesAnUnexpectedKeyAndItsShape() {
        CifarResNet model = CifarResNet.resnet20();
        Map<String, Tensor> state = copy(model.stateDict());
        state.put("fc2.weight", Tensor.zeros(5, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(state, true));
        assertTrue(e.getMessage().contains("unexpected key 'fc2.weight'"), e.getMessage());
        assertTrue(e.getMessage().contains("[5, 7]"), e.getMessage());
    }

    @Test
    void aShapeMismatchNamesBothShapesEvenWhenNotStrict() {
        CifarResNet model = CifarResNet.resnet20();
        Map<String, Tensor> state = copy(model.stateDict());
        state.put("fc.weight", Tensor.zeros(100, 64));
        float before = model.fc().bias().data()[0];
        state.get("fc.bias").data()[0] = before + 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("'fc.weight'"), e.getMessage());
        assertTrue(e.getMessage().contains("[100, 64]") && e.getMessage().contains("[10, 64]"), e.getMessage());
        assertEquals(before, model.fc().bias().data()[0], "nothing is copied when the load fails");
    }

    @Test
    void nonStrictLoadReportsWhatItSkipped() {
        CifarResNet model = CifarResNet.resnet20();
        Map<String, Tensor> state = new LinkedHashMap<>();
        Tensor w = Tensor.full(0.5f, 10, 64);
        state.put("fc.weight", w);
        state.put("extra", Tensor.zeros(1));
        Module.LoadResult r = model.loadStateDict(state, false);
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertTrue(r.missingKeys().contains("conv1.weight"));
        assertFalse(r.missingKeys().contains("bn1.num_batches_tracked"));
        assertEquals(0.5f, model.fc().weight().data()[17]);
        assertFalse(model.fc().weight() == w, "values are copied into the model's own tensor");
    }

    @Test
    void saveAndLoadRoundTripsThroughSafetensors(@TempDir Path dir) throws IOException {
        CifarResNet a = new CifarResNet(20, 3, 10);
        a.bn1().runningVar().data()[3] = 2.5f;
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, a.stateDict(), Map.of());
        CifarResNet b = new CifarResNet(20, 3, 10);
        b.loadStateDict(Safetensors.read(file), true);
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().data(), b.stateDict().get(e.getKey()).data(), e.getKey());
        }
    }

    @Test
    void parametersRequireGradAndBuffersDoNot() {
        CifarResNet model = CifarResNet.resnet20();
        for (Tensor p : model.parameters()) {
            assertTrue(p.requiresGrad());
        }
        for (Tensor b : model.namedBuffers().values()) {
            assertFalse(b.requiresGrad());
        }
        assertEquals(65, model.namedParameters().size());
        assertSame(model.fc().weight(), model.namedParameters().get("fc.weight"));
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        CifarResNet model = CifarResNet.resnet20();
        model.eval();
        for (Module m : model.namedModules().values()) {
            assertFalse(m.isTraining(), m.toString());
        }
        model.train();
        for (Module m : model.namedModules().values()) {
            assertTrue(m.isTraining(), m.toString());
        }
        assertTrue(model.namedModules().containsKey("layer1.0.shortcut"));
        assertTrue(model.namedModules().containsKey("layer2.0.shortcut.1"));
    }

    @Test
    void sequentialNamesChildrenByIndexAndRejectsDuplicates() {
        Sequential s = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.stateDict().keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("w", Tensor.zeros(1));
                registerBuffer("w", Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        });
        assertTrue(e.getMessage().contains("'w' is already registered"), e.getMessage());
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            out.put(e.getKey(), e.getValue().copy());
        }
        return out;
    }
}
