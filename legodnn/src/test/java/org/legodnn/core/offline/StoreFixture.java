package org.legodnn.core.offline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.latency.LatencyProfile;
import org.legodnn.core.latency.LatencyStats;
import org.legodnn.core.prune.PruningCriterion;

/**
 * A profiled block store of the {@link TinyTeacher}, written once, and the edits that the hardening tests make to
 * copies of it: an index field changed, a listed file rewritten with its checksum updated (so only the field
 * checks can catch it).
 */
final class StoreFixture {

    final TinyTeacher teacher;
    final StoreContents contents;

    StoreFixture() throws IOException {
        teacher = new TinyTeacher(32, 32);
        Profiles p = Profiler.profile(teacher.graph, teacher.blocks, teacher.descendants, TinyTeacher.SPARSITIES,
                teacher.test, teacher.normalize, 32, null);
        List<List<LatencyStats>> ms = teacher.blocks.stream()
                .map(b -> List.of(new LatencyStats(1, 0.9, 1.1, 5), new LatencyStats(0.8, 0.7, 0.9, 5),
                        new LatencyStats(0.5, 0.4, 0.6, 5)))
                .toList();
        contents = new StoreContents("cifar_resnet8", "fashion-mnist", teacher.graph, teacher.blocks,
                teacher.descendants, TinyTeacher.SPARSITIES, BlockExtractor.DEFAULT_MAX_RATIO, PruningCriterion.L1_NORM,
                teacher.normalize, List.of(new RetrainResult(0, 0.4, 1.0, 0.5, 1)), p,
                LatencyProfile.of(ms, new LatencyStats(4, 3.5, 4.5, 5), 1));
    }

    /** Copies the store (or any directory tree) {@code from} to {@code to}. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    /** Rewrites {@code dir}'s index.json with {@code edit}. */
    static void editIndex(Path dir, UnaryOperator<String> edit) throws IOException {
        Path index = dir.resolve(BlockStore.INDEX);
        Files.writeString(index, edit.apply(Files.readString(index, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Rewrites the listed file {@code name} with {@code edit} and puts its new SHA-256 into the index. */
    static void editListed(Path dir, String name, UnaryOperator<String> edit) throws IOException {
        Path f = dir.resolve(name);
        String before = BlockStore.sha256(f);
        Files.writeString(f, edit.apply(Files.readString(f, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        String after = BlockStore.sha256(f);
        editIndex(dir, text -> text.replace(before, after));
    }

    /** The sibling names in {@code parent}, sorted. */
    static List<String> names(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
