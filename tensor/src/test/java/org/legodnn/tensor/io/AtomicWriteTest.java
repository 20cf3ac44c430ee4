package org.legodnn.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: the old content or the new, and the temporary files of killed writers removed by the next. */
class AtomicWriteTest {

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theNextWriteRemovesTheTemporaryFilesOfDeadWritersOnly(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("w.safetensors");
        Files.writeString(target, "old");
        // a process id above Linux's pid_max: that writer is gone; a UUID: a writer of an earlier version
        Files.writeString(tmp.resolve(".w.safetensors.4999999-abc.tmp"), "half");
        Files.writeString(tmp.resolve(".w.safetensors.0f8fad5b-d9cb-469f-a165-70867728950e.tmp"), "half");
        String live = ".w.safetensors." + WriterTag.fresh() + ".tmp"; // this process: alive
        Files.writeString(tmp.resolve(live), "in progress");
        Files.writeString(tmp.resolve(".w.safetensors.x.4999999-abc.tmp"), "another target's"); // not ours
        AtomicWrite.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(live, ".w.safetensors.x.4999999-abc.tmp", "w.safetensors"), names(tmp));
    }

    @Test
    void aFailingWriteKeepsTheOldContentAndLeavesNothing(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("out.bin");
        Files.writeString(target, "old");
        assertThrows(IOException.class, () -> AtomicWrite.write(target, out -> {
            out.write(1);
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("out.bin"), names(tmp));
    }

    @Test
    void tagsNameTheirProcess(@TempDir Path tmp) throws IOException {
        String tag = WriterTag.fresh();
        assertTrue(WriterTag.PATTERN.matcher(tag).matches(), tag);
        assertTrue(tag.startsWith(ProcessHandle.current().pid() + "-"), tag);
        Path f = Files.writeString(tmp.resolve("f"), "x");
        assertFalse(WriterTag.abandoned(tag, f), "this process runs");
        assertTrue(WriterTag.abandoned("4999999-a", f), "no such process");
        Fsync.tree(tmp); // forcing a tree of files and directories works here
    }
}
