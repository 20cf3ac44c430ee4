package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.testing.ReferenceData;

/** The original's five profile files as we write them: same columns and keys as the reference files, numbers that parse. */
class OriginalProfileFilesTest {

    private static final Pattern KEY = Pattern.compile("^[ -]*([A-Za-z_]+):");

    private static Path reference() {
        return ReferenceData.originalLegoDnn();
    }

    @Test
    void sameColumnsAndKeysAsTheOriginal(@TempDir Path tmp) throws IOException {
        TinyTeacher t = new TinyTeacher(16, 32);
        Profiles p = Profiler.profile(t.graph, t.blocks, t.descendants, TinyTeacher.SPARSITIES, t.test, t.normalize,
                32, null);
        OriginalProfileFiles.write(tmp, t.blocks, p);
        int n = TinyTeacher.SPARSITIES.length;
        for (String csv : List.of("server-blocks-metrics.csv", "edge-blocks-metrics.csv", "server-tested-models-metrics.csv")) {
            List<String> ours = Files.readAllLines(tmp.resolve(csv));
            List<String> theirs = Files.readAllLines(reference().resolve(csv));
            assertEquals(theirs.get(0), ours.get(0), csv + " header");
            int columns = theirs.get(0).split(",").length;
            for (String row : ours.subList(1, ours.size())) {
                String[] cells = row.split(",");
                assertEquals(columns, cells.length, csv + ": " + row);
                for (int c = csv.startsWith("server-tested") ? 1 : 0; c < cells.length; c++) {
                    Double.parseDouble(cells[c]);
                }
            }
            if (!csv.startsWith("server-tested")) {
                assertEquals(t.blocks.size() * n, ours.size() - 1, csv + " rows");
            } else {
                assertEquals(p.tested().size(), ours.size() - 1);
                assertTrue(ours.contains(String.join("-", java.util.Collections.nCopies(t.blocks.size(), "-1")) + ","
                        + OriginalProfileFiles.py(p.teacherAccuracy())), "the teacher's row, keyed -1 per block");
            }
        }
        List<String> server = Files.readAllLines(tmp.resolve("server-blocks-metrics.csv"));
        assertEquals("0,0.0,0.0,0.0,0,0.0,0.0", server.get(1), "block 0 at sparsity 0 drops nothing");
        for (String yaml : List.of("server-teacher-model-metrics.yaml", "edge-teacher-model-metrics.yaml")) {
            assertEquals(keys(reference().resolve(yaml)), keys(tmp.resolve(yaml)), yaml + " keys");
            long ids = Files.readAllLines(tmp.resolve(yaml)).stream().filter(l -> l.startsWith("- ")).count();
            assertEquals(t.blocks.size(), ids, yaml + " blocks");
        }
        assertEquals("44904448.0", OriginalProfileFiles.py(44904448));
    }

    private static Set<String> keys(Path yaml) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String line : Files.readAllLines(yaml)) {
            Matcher m = KEY.matcher(line);
            if (m.find() && !line.startsWith("#")) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
