package org.legodnn.graph.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.legodnn.graph.Graph;

/**
 * Coverage-guided fuzzing of the ONNX importer: whatever the bytes, importing them either gives a graph
 * whose every value has a shape, or fails with {@link OnnxImportException} — never another exception, an
 * Error or a hang. Without {@code JAZZER_FUZZ=1} this runs once over the committed inputs in
 * {@code src/test/resources/org/legodnn/graph/onnx/OnnxImporterFuzzTestInputs/} (tiny models of the supported
 * ops and the inputs fuzzing once found).
 */
class OnnxImporterFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void importsAnyBytes(byte[] bytes) {
        Graph g;
        try {
            g = OnnxImporter.read(bytes, "fuzz.onnx");
        } catch (OnnxImportException expected) {
            return;
        }
        for (String out : g.outputs()) {
            g.shape(out);
        }
    }
}
