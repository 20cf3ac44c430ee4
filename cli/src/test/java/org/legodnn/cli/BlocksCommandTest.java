package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.CifarResNet18;
import org.legodnn.nn.models.ModelZoo;
import org.legodnn.testing.ReferenceData;

/**
 * {@code legodnn blocks} prints what {@link BlockExtractor} finds (the extractor itself is checked against the
 * original LegoDNN's profile in the core module's {@code CifarResNet18BlocksTest}), for zoo models and ONNX files.
 */
class BlocksCommandTest {

    @Test
    void jsonListsTheExtractorsBlocks() throws Exception {
        List<Block> api = BlockExtractor.extract(Tracer.trace(new CifarResNet18(3, 100), 1, 3, 32, 32), 0.125);
        CliRun r = CliRun.of("blocks", "--model", "cifar_resnet18", "--classes", "100", "--max-ratio", "0.125", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> json = JSON.std.mapFrom(r.out());
        List<?> found = (List<?>) json.get("blocks");
        assertEquals(8, found.size(), r.out());
        assertEquals(api.size(), found.size(), r.out());
        for (int i = 0; i < api.size(); i++) {
            Block want = api.get(i);
            Map<?, ?> got = (Map<?, ?>) found.get(i);
            String where = "block-" + i;
            assertEquals(want.index(), ((Number) got.get("index")).intValue(), where);
            assertEquals(want.params(), ((Number) got.get("params")).longValue(), where + " params");
            assertEquals(want.flops(), ((Number) got.get("flops")).longValue(), where + " FLOPs");
            assertEquals(ints(want.inputSampleShape()), got.get("input_shape"), where + " input shape");
            assertEquals(ints(want.outputSampleShape()), got.get("output_shape"), where + " output shape");
            assertEquals(want.layers(), got.get("layers"), where + " layers");
        }
        assertEquals(20, ((Number) json.get("convs")).intValue());
        assertEquals(2, ((Number) json.get("max_convs_per_block")).intValue());
    }

    @Test
    void tableNamesEveryBlock() {
        CliRun r = CliRun.of("blocks", "--model", "cifar_resnet18", "--classes", "100");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("20 convolutions, at most 2 per block; 8 blocks"), r.out());
        assertTrue(r.out().contains("221,440") && r.out().contains("layer2.0.conv1, layer2.0.bn1, layer2.0.conv2"),
                r.out());
    }

    /** An imported ONNX file is cut like the traced zoo model it came from. */
    @Test
    void onnxModelIsCutLikeTheTracedOne() throws Exception {
        String onnx = ReferenceData.model("cifar_resnet20").resolve("model.onnx").toString();
        CliRun fromOnnx = CliRun.of("blocks", "--json", "--model", onnx, "--input-shape", "1,3,32,32");
        assertEquals(0, fromOnnx.code(), fromOnnx.err());
        CliRun fromZoo = CliRun.of("blocks", "--json", "--model", "cifar_resnet20");
        assertEquals(0, fromZoo.code(), fromZoo.err());
        List<?> a = (List<?>) JSON.std.mapFrom(fromOnnx.out()).get("blocks");
        List<?> b = (List<?>) JSON.std.mapFrom(fromZoo.out()).get("blocks");
        assertEquals(9, b.size());
        assertEquals(b.size(), a.size(), fromOnnx.out());
        for (int i = 0; i < a.size(); i++) {
            Map<?, ?> x = (Map<?, ?>) a.get(i);
            Map<?, ?> y = (Map<?, ?>) b.get(i);
            for (String key : List.of("params", "flops", "input_shape", "output_shape")) {
                assertEquals(y.get(key), x.get(key), "block " + i + " " + key);
            }
        }
        assertEquals(9, BlockExtractor.extract(Tracer.trace(ModelZoo.create("cifar_resnet20", 3, 10), 1, 3, 32, 32)).size());
    }

    @Test
    void usageErrors() {
        CliRun ratio = CliRun.of("blocks", "--model", "cifar_resnet18", "--max-ratio", "0");
        assertEquals(2, ratio.code(), ratio.err());
        assertTrue(ratio.err().contains("--max-ratio"), ratio.err());
        CliRun unknown = CliRun.of("blocks", "--model", "no_such_model");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no_such_model"), unknown.err());
    }

    private static List<Integer> ints(int[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }
}
