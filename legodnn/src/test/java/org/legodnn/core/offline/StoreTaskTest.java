package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.legodnn.nn.task.Segmentation;

/**
 * A block store records the task it was made for and the metric its profiles hold (issue 18), reads them back
 * checked, and a store written before tasks existed reads as classification / top1.
 */
class StoreTaskTest {

    @TempDir
    static Path shared;
    private static Path classifier;
    private static Path segmenter;

    /** The fixture's store, and the same numbers recorded as a segmentation store (profiles of mIoU). */
    @BeforeAll
    static void writeOnce() throws IOException {
        StoreContents c = new StoreFixture().contents;
        classifier = shared.resolve("classifier");
        BlockStore.write(classifier, c);
        Profiles p = c.profiles();
        Profiles miou = new Profiles(p.sparsities(), p.rows(), p.teacherAccuracy(), p.teacherParams(), p.teacherFlops(),
                p.teacherBytes(), p.testImages(), p.tested(), "mIoU");
        segmenter = shared.resolve("segmenter");
        BlockStore.write(segmenter, new StoreContents(c.model(), StoreTask.of(Segmentation.TASK), "fashion-mnist-seg",
                c.teacher(), c.blocks(), c.descendants(), c.sparsities(), c.maxRatio(), c.criterion(), c.normalize(),
                c.retrained(), miou, c.latency()));
    }

    @Test
    void theTaskAndMetricAreRecordedAndReadBack() throws IOException {
        StoredBlocks seg = BlockStore.read(segmenter);
        assertEquals(new StoreTask("segmentation", "mIoU"), seg.task());
        assertEquals(Segmentation.TASK, seg.task().resolve());
        assertEquals("mIoU", seg.profiles().metric());
        assertEquals(seg.task(), seg.contents().task());
        StoredBlocks cls = BlockStore.read(classifier);
        assertEquals(StoreTask.CLASSIFICATION, cls.task());
        assertEquals("top1", cls.profiles().metric());
        assertTrue(cls.task().isClassification());
    }

    @Test
    void aStoreWithoutTaskFieldsIsAClassifier(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("old");
        StoreFixture.copy(classifier, dir);
        StoreFixture.editIndex(dir, t -> removed(t, ",\\s*\"task\": \"classification\",\\s*\"metric\": \"top1\"", ""));
        StoreFixture.editListed(dir, BlockStore.PROFILES, t -> removed(t, "\"metric\": \"top1\",\\s*", ""));
        StoredBlocks old = BlockStore.read(dir);
        assertEquals(StoreTask.CLASSIFICATION, old.task());
        assertEquals("top1", old.profiles().metric());
        assertEquals(BlockStore.read(classifier).profiles().teacherAccuracy(), old.profiles().teacherAccuracy());
    }

    static Stream<Arguments> indexEdits() {
        return Stream.of(
                Arguments.of("\"task\": \"segmentation\"", "\"task\": 7", "index.json: task is 7 (expected a string)"),
                Arguments.of("\"metric\": \"mIoU\"", "\"metric\": \"top1\"",
                        "index.json: metric is \"top1\" (expected \"mIoU\", the metric of task segmentation)"),
                Arguments.of(",\\s*\"metric\": \"mIoU\"", "", "index.json: metric is"),
                Arguments.of("\"task\": \"segmentation\"", "\"task\": \"\"", "index.json: task is \"\""));
    }

    @ParameterizedTest
    @MethodSource("indexEdits")
    void aWrongTaskFieldIsNamed(String regex, String replacement, String expected, @TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(segmenter, dir);
        StoreFixture.editIndex(dir, t -> removed(t, regex, replacement));
        assertOneLine(assertThrows(IOException.class, () -> BlockStore.read(dir)).getMessage(), expected);
    }

    @Test
    void profilesOfAnotherMetricThanTheIndexAreRefused(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(segmenter, dir);
        StoreFixture.editListed(dir, BlockStore.PROFILES, t -> removed(t, "\"metric\": \"mIoU\"", "\"metric\": \"top1\""));
        StoredBlocks s = BlockStore.read(dir);
        assertOneLine(assertThrows(IOException.class, s::profiles).getMessage(),
                "profiles.json holds metric top1 but index.json says the store's metric is mIoU");
    }

    @Test
    void aTaskThisBuildDoesNotKnowReadsButDoesNotResolve(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(segmenter, dir);
        StoreFixture.editIndex(dir, t -> removed(removed(t, "\"task\": \"segmentation\"", "\"task\": \"my-task\""),
                "\"metric\": \"mIoU\"", "\"metric\": \"score\""));
        StoreFixture.editListed(dir, BlockStore.PROFILES, t -> removed(t, "\"metric\": \"mIoU\"", "\"metric\": \"score\""));
        StoredBlocks s = BlockStore.read(dir);
        assertEquals(new StoreTask("my-task", "score"), s.task());
        assertEquals("score", s.profiles().metric());
        String message = assertThrows(IllegalArgumentException.class, () -> s.task().resolve()).getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.contains("task 'my-task' (metric score), which this build does not know"), message);
    }

    @Test
    void contentsWhoseProfilesHoldAnotherMetricAreRefused() throws IOException {
        StoreContents c = new StoreFixture().contents;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StoreContents(c.model(),
                StoreTask.of(Segmentation.TASK), c.dataset(), c.teacher(), c.blocks(), c.descendants(), c.sparsities(),
                c.maxRatio(), c.criterion(), c.normalize(), c.retrained(), c.profiles(), c.latency()));
        assertTrue(e.getMessage().contains("profiles of metric top1 for a store of task segmentation"), e.getMessage());
    }

    private static String removed(String text, String regex, String replacement) {
        String out = text.replaceFirst(regex, replacement);
        assertNotEquals(text, out, "the edit " + regex + " applies");
        return out;
    }

    private static void assertOneLine(String message, String expected) {
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.startsWith("block store "), message);
        assertTrue(message.contains(expected), "'" + expected + "' in: " + message);
    }
}
