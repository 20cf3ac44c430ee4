package org.legodnn.core.optimize;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.legodnn.testing.ReferenceData;

/**
 * Coverage-guided fuzzing of the reader of the original LegoDNN's profile files: the input is split at NUL
 * bytes into up to four files ({@link OriginalProfiles#FILES}, in that order; a missing part keeps the
 * reference file), written to a directory and read. It either gives profiles or fails with
 * IllegalArgumentException or IOException naming the file — never another exception, an Error or a hang.
 * Without {@code JAZZER_FUZZ=1} this runs once over the committed inputs in
 * {@code src/test/resources/org/legodnn/core/optimize/OriginalProfilesFuzzTestInputs/}.
 */
class OriginalProfilesFuzzTest {

    private static final Path DIR = directory();

    private static Path directory() {
        try {
            Path dir = Files.createTempDirectory("legodnn-profiles-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void readsAnyFiles(byte[] bytes) throws IOException {
        int start = 0;
        for (int k = 0; k < OriginalProfiles.FILES.size(); k++) {
            Path file = DIR.resolve(OriginalProfiles.FILES.get(k));
            if (start > bytes.length) {
                Files.copy(ReferenceData.originalLegoDnn().resolve(file.getFileName().toString()), file,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            int end = start;
            while (end < bytes.length && (bytes[end] != 0 || k == OriginalProfiles.FILES.size() - 1)) {
                end++;
            }
            Files.write(file, Arrays.copyOfRange(bytes, start, end));
            start = end + 1;
        }
        try {
            OriginalProfiles p = OriginalProfiles.read(DIR);
            p.problem(p.originalLatencyMs(), p.originalMemoryBytes());
        } catch (IllegalArgumentException | IOException expected) {
            // refused, naming the file
        }
    }
}
