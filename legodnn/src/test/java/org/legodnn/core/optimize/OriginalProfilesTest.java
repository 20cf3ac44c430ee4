package org.legodnn.core.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.offline.BlockProfile;
import org.legodnn.core.offline.OriginalProfileFiles;
import org.legodnn.core.offline.Profiles;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.models.CifarResNet;
import org.legodnn.testing.ReferenceData;

/** The original LegoDNN's profile files read into a scaling problem, as the original itself reads them. */
class OriginalProfilesTest {

    static Path reference() {
        return ReferenceData.originalLegoDnn();
    }

    @Test
    void readsTheReferenceFiles() throws IOException {
        OriginalProfiles o = OriginalProfiles.read(reference());
        assertEquals(8, o.blocks());
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(new double[] {0.0, 0.3, 0.6, 0.8}, o.sparsity()[i], "sparsities of block " + i);
        }
        assertEquals(4.558190379142761, o.originalLatencyMs(), 1e-15);
        assertEquals(44969037, o.originalMemoryBytes());
        assertEquals(0.01519999901453654, o.accuracyDrop()[7][3]);
        assertEquals(0.0008333325386047363, o.accuracyDrop()[0][2]);
        // block 4 at sparsity 0.6 measured 77% slower than the original block
        assertEquals(0.15761440232396138 * (1 + 0.7722064705377089), o.latencyMs()[4][2], 1e-15);
        // block sizes from the teacher YAML less the size drops
        assertEquals(18907265 - 15083904, o.memoryBytes()[7][3]);
        assertEquals(44969037 - 44112111, o.frameMemoryBytes());

        ScalingProblem p = o.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        int[] original = new int[8];
        assertEquals(4.558190379142761, p.latencyOf(original), 1e-12, "the original model's latency, ms");
        assertEquals(44969037, p.memoryOf(original), "the original model's size, bytes");
        assertEquals(0, p.accuracyDropOf(original));
    }

    /** Every composition's latency and memory equal the original's T_orig − Σ ΔT and M_orig − Σ model_size_drop. */
    @Test
    void sameConstraintsAsTheOriginalFormulation() throws IOException {
        OriginalProfiles o = OriginalProfiles.read(reference());
        ScalingProblem p = o.problem(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        double[] blockLatencyS = {0.00011699200071394433, 0.00011387391962111, 0.0002087401598691942,
                0.0002605580854415894, 0.00015761440232396138, 0.00019061664104461665, 0.0005590204745531083,
                0.0004201491212844849};
        List<String> server = Files.readAllLines(reference().resolve("server-blocks-metrics.csv"));
        List<String> edge = Files.readAllLines(reference().resolve("edge-blocks-metrics.csv"));
        double[][] sizeDrop = new double[8][4];
        double[][] relDrop = new double[8][4];
        for (int r = 1; r < server.size(); r++) {
            String[] s = server.get(r).split(",");
            String[] e = edge.get(r).split(",");
            sizeDrop[Integer.parseInt(s[0])][(r - 1) % 4] = Double.parseDouble(s[4]);
            relDrop[Integer.parseInt(e[0])][(r - 1) % 4] = Double.parseDouble(e[3]);
        }
        int[] x = new int[8];
        for (int code = 0; code < 1 << 16; code++) {
            double dT = 0;
            double dM = 0;
            for (int i = 0; i < 8; i++) {
                x[i] = (code >> (2 * i)) & 3;
                dT += blockLatencyS[i] * relDrop[i][x[i]];
                dM += sizeDrop[i][x[i]];
            }
            assertEquals(1000 * (0.004558190379142761 - dT), p.latencyOf(x), 1e-12);
            assertEquals(44969037 - dM, p.memoryOf(x));
        }
    }

    /** What {@link OriginalProfileFiles} writes (latency not measured yet: zeros) reads back. */
    @Test
    void readsWhatOriginalProfileFilesWrites(@TempDir Path dir) throws IOException {
        List<Block> blocks = BlockExtractor.extract(Tracer.trace(new CifarResNet(8, 1, 10), 1, 1, 28, 28));
        double[] sparsities = {0.0, 0.4, 0.8};
        List<BlockProfile> rows = new ArrayList<>();
        long teacherBytes = 100_000;
        long blockBytes = 0;
        for (int i = 0; i < blocks.size(); i++) {
            long size = 10_000L * (i + 1);
            blockBytes += size;
            for (int j = 0; j < sparsities.length; j++) {
                rows.add(new BlockProfile(i, sparsities[j], j == 0 ? 0 : 0.01 * j * (i + 1), 1000L * (3 - j),
                        2000L * (3 - j), Math.round(size * (1 - sparsities[j])), 0));
            }
        }
        Map<List<Integer>, Double> tested = new LinkedHashMap<>();
        tested.put(new ArrayList<>(java.util.Collections.nCopies(blocks.size(), 0)), 0.9);
        Profiles profiles = new Profiles(sparsities, rows, 0.9, 5000, 9000, teacherBytes, 100, tested);
        OriginalProfileFiles.write(dir, blocks, profiles);

        OriginalProfiles o = OriginalProfiles.read(dir);
        assertEquals(blocks.size(), o.blocks());
        assertEquals(0, o.originalLatencyMs());
        assertEquals(teacherBytes, o.originalMemoryBytes());
        assertEquals(teacherBytes - blockBytes, o.frameMemoryBytes());
        for (int i = 0; i < blocks.size(); i++) {
            assertArrayEquals(sparsities, o.sparsity()[i]);
            for (int j = 0; j < sparsities.length; j++) {
                BlockProfile r = profiles.row(i, j);
                assertEquals(r.accuracyDrop(), o.accuracyDrop()[i][j], 1e-15);
                assertEquals(r.sizeBytes(), o.memoryBytes()[i][j], "memory of block " + i + " option " + j);
                assertEquals(0, o.latencyMs()[i][j]);
            }
        }
        // the optimizer runs on it: within 80% of the teacher's bytes, the least accuracy lost
        ScalingProblem p = o.problem(1.0, 0.8 * teacherBytes);
        Selection s = BranchAndBound.solve(p);
        assertTrue(s.feasible());
        assertEquals(BruteForce.solve(p).objective(), s.objective(), 1e-15);
    }

    @Test
    void badFilesSayWhichAndWhatWasExpected(@TempDir Path dir) throws IOException {
        for (String f : List.of("server-blocks-metrics.csv", "edge-blocks-metrics.csv", "server-teacher-model-metrics.yaml",
                "edge-teacher-model-metrics.yaml")) {
            Files.copy(reference().resolve(f), dir.resolve(f));
        }
        OriginalProfiles.read(dir); // the copy is fine

        Path edgeYaml = dir.resolve("edge-teacher-model-metrics.yaml");
        String yaml = Files.readString(edgeYaml);
        Files.delete(edgeYaml);
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> OriginalProfiles.read(dir));
        assertTrue(missing.getMessage().contains("edge-teacher-model-metrics.yaml"), missing.getMessage());

        Files.writeString(edgeYaml, yaml.replace("latency: 0.004558190379142761", "latency: fast"));
        assertMessage(dir, "edge-teacher-model-metrics.yaml", "latency");
        Files.writeString(edgeYaml, "blocks_info: [\n");
        assertMessage(dir, "edge-teacher-model-metrics.yaml", "YAML");
        Files.writeString(edgeYaml, yaml.replace("- id: block-7\n  index: 7", "- id: block-7\n  index: 9"));
        assertMessage(dir, "edge-teacher-model-metrics.yaml", "index 7");
        Files.writeString(edgeYaml, yaml);

        Path server = dir.resolve("server-blocks-metrics.csv");
        String csv = Files.readString(server);
        Files.writeString(server, csv.replace("3,0.3,0.0021666685740152993,0.0,350784", "3,0.3,0.00216x,0.0,350784"));
        assertMessage(dir, "server-blocks-metrics.csv", "test_accuracy_drop");
        Files.writeString(server, csv.replace("test_accuracy_drop,", "accuracy,"));
        assertMessage(dir, "server-blocks-metrics.csv", "test_accuracy_drop");
        Files.writeString(server, csv.replace("5,0.6,0.00516664981842041,0.0,2822528,90282240.0,705330.0",
                "5,0.6,0.00516664981842041,0.0,2822528"));
        assertMessage(dir, "server-blocks-metrics.csv", "cells");
        Files.writeString(server, csv.replace("5,0.6,", "5,0.65,"));
        assertMessage(dir, "edge-blocks-metrics.csv", "sparsity 0.65");
    }

    private static void assertMessage(Path dir, String file, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OriginalProfiles.read(dir));
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains(what), e.getMessage());
    }

    /** A copy of the reference files in {@code dir} with {@code from} replaced by {@code to} in {@code file}. */
    private static Path edited(Path dir, String file, String from, String to) throws IOException {
        for (String name : OriginalProfiles.FILES) {
            Files.copy(reference().resolve(name), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String text = Files.readString(dir.resolve(file));
        assertTrue(text.contains(from), from);
        Files.writeString(dir.resolve(file), text.replaceFirst(java.util.regex.Pattern.quote(from), to));
        return dir;
    }

    @Test
    void corruptValuesAreRefusedNamingTheFileAndField(@TempDir Path dir) throws IOException {
        String yaml = "server-teacher-model-metrics.yaml";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OriginalProfiles.read(edited(dir, yaml, "index: 2", "index: 2.5")));
        assertTrue(e.getMessage().contains(yaml + ": blocks_info index '2.5'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OriginalProfiles.read(edited(dir, yaml, "size: 315890", "size: 1e300")));
        assertTrue(e.getMessage().contains("size (bytes) of block 0 is 1.0E300"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OriginalProfiles.read(edited(dir, "server-blocks-metrics.csv",
                "0,0.3,0.0,0.0,87872", "0,0.3,0.0,0.0,1e300")));
        assertTrue(e.getMessage().contains("model_size_drop (bytes) 1.0E300"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OriginalProfiles.read(edited(dir, "edge-teacher-model-metrics.yaml",
                "latency: 0.00011699200071394433", "latency: &a [*a]")));
        assertTrue(e.getMessage().contains("got a list") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
