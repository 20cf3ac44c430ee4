package org.legodnn.graph.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.legodnn.graph.onnx.proto.OnnxProto.AttributeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.GraphProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto;
import org.legodnn.testing.ReferenceData;

/**
 * A small valid model made hostile one field at a time: each change that would make the importer or a later
 * planner allocate gigabytes, overflow an int or accept nonsense is refused at import with one line naming the
 * model, the node and what was expected.
 */
class OnnxLimitsTest {

    private static ModelProto resnet20() throws Exception {
        return ModelProto.parseFrom(Files.readAllBytes(
                ReferenceData.model("cifar_resnet20").resolve("model.onnx")));
    }

    /** The model with {@code change} applied to its graph, imported; the error it raises. */
    private static OnnxImportException refused(Consumer<GraphProto.Builder> change) throws Exception {
        ModelProto.Builder b = resnet20().toBuilder();
        change.accept(b.getGraphBuilder());
        ModelProto m = b.build();
        OnnxImportException e = assertThrows(OnnxImportException.class, () -> OnnxImporter.fromModel(m, "hostile.onnx"));
        assertTrue(e.getMessage().startsWith("hostile.onnx: "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private static void firstConvPads(GraphProto.Builder g, long pad) {
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            if (n.getOpType().equals("Conv")) {
                for (AttributeProto.Builder a : n.getAttributeBuilderList()) {
                    if (a.getName().equals("pads")) {
                        a.clearInts().addAllInts(java.util.List.of(pad, pad, pad, pad));
                    }
                }
                return;
            }
        }
    }

    @Test
    void padsBeyondTheKernelAreRefusedBeforePlanning() throws Exception {
        for (long pad : new long[] {2485, 100000, 1L << 40}) {
            OnnxImportException e = refused(g -> firstConvPads(g, pad));
            assertTrue(e.getMessage().contains("'/conv1/Conv'") && e.getMessage().contains("exceed the kernel"),
                    e.getMessage());
        }
    }

    @Test
    void aTensorAnnouncingMoreValuesThanItStoresIsRefusedBeforeAllocating() throws Exception {
        OnnxImportException e = refused(g -> g.setInitializer(0, g.getInitializer(0).toBuilder().clearDims()
                .addDims(10000).addDims(100000).build()));
        assertTrue(e.getMessage().contains("bytes of raw data, expected 4000000000"), e.getMessage());
        e = refused(g -> g.addInitializer(TensorProto.newBuilder().setName("big").setDataType(1).addDims(1 << 30)
                .addFloatData(1f)));
        assertTrue(e.getMessage().contains("has 1 values, its dimensions say 1073741824"), e.getMessage());
    }

    @Test
    void inputDimensionsAndOutputsAreChecked() throws Exception {
        OnnxImportException e = refused(g -> g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
                .getShapeBuilder().getDimBuilder(2).setDimValue(1L << 33));
        assertTrue(e.getMessage().contains("input 'input' has dimension 8589934592"), e.getMessage());
        e = refused(g -> {
            var shape = g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
            shape.getDimBuilder(2).setDimValue(100000);
            shape.getDimBuilder(3).setDimValue(100000);
        });
        assertTrue(e.getMessage().contains("input 'input' of shape [2, 3, 100000, 100000] has more than"), e.getMessage());
        e = refused(GraphProto.Builder::clearOutput);
        assertTrue(e.getMessage().contains("declares no outputs"), e.getMessage());
        e = refused(g -> g.getOutputBuilder(0).setName("nowhere"));
        assertTrue(e.getMessage().contains("output 'nowhere' is computed by no node"), e.getMessage());
    }

    @Test
    void theShippedModelStillImports() throws Exception {
        OnnxImporter.fromModel(resnet20(), "ok.onnx");
        assertTrue(Files.isRegularFile(Path.of(ReferenceData.model("cifar_resnet20").resolve("model.onnx").toString())));
    }
}
