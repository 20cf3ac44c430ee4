package org.legodnn.nn.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the IDX reader (plain and gzipped): whatever the bytes, reading them as an
 * images file and as a labels file either succeeds or fails with the reader's IOException — never another
 * exception, an Error or a hang. Without {@code JAZZER_FUZZ=1} this runs once over the committed inputs in
 * {@code src/test/resources/org/legodnn/nn/data/IdxReaderFuzzTestInputs/}.
 */
class IdxReaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readsAnyBytes(byte[] bytes) {
        IdxReader.IdxArray a;
        try {
            a = IdxReader.read("fuzz-idx3-ubyte", new ByteArrayInputStream(bytes));
        } catch (IOException expected) {
            return;
        }
        int n = a.dims().length == 3 && a.dims()[0] <= 1 << 16 ? a.dims()[0] : 0;
        IdxReader.IdxArray labels = n > 0 ? new IdxReader.IdxArray("fuzz-labels", new int[] {n}, new byte[n]) : a;
        try {
            IdxReader.dataset(a, labels, null); // as images, with n zero labels (or itself, to check the ranks)
        } catch (IOException expected) {
            // not an idx3 images file, or no images
        }
    }
}
