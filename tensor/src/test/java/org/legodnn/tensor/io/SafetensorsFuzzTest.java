package org.legodnn.tensor.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the safetensors reader: whatever the bytes, reading them either succeeds or
 * fails with the reader's IOException (or, converting a tensor, IllegalArgumentException) — never another
 * exception, an Error or a hang. Without {@code JAZZER_FUZZ=1} this runs once over the committed inputs in
 * {@code src/test/resources/org/legodnn/tensor/io/SafetensorsFuzzTestInputs/}.
 */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readsAnyBytes(byte[] bytes) {
        SafetensorsFile file;
        try {
            file = SafetensorsFile.fromBytes("fuzz.safetensors", bytes);
        } catch (IOException expected) {
            return;
        }
        for (String name : file.names()) {
            try {
                file.tensor(name);
            } catch (IllegalArgumentException expected) {
                // a dtype that is not a number (U8, BOOL) cannot be read as float32
            }
        }
    }
}
