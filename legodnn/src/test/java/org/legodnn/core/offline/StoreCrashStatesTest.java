package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The states a writer killed with {@code kill -9} leaves behind, made directly (scripts/kill9-store.sh makes them
 * by killing real commands): a half-written temporary store, a previous store set aside between the two renames,
 * temporary names of the first format version, a truncated file inside the store. The store stays the old valid
 * one or fails with one line; the next writer removes the litter of dead writers and leaves a live writer's alone.
 */
class StoreCrashStatesTest {

    /** A process id above Linux's pid_max (2^22): no process has it, so its writer is gone. */
    private static final String DEAD = "4999999-1a2b";

    @TempDir
    static Path shared;
    private static Path master;
    private static StoreFixture fixture;

    @BeforeAll
    static void writeOnce() throws IOException {
        fixture = new StoreFixture();
        master = shared.resolve("master");
        BlockStore.write(master, fixture.contents);
    }

    @Test
    void theNextWriterRemovesTheLitterOfKilledWritersOnly(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(master, dir);
        // killed while writing: a temporary store with some files and no index yet
        Path halfWritten = tmp.resolve(".store.tmp-" + DEAD);
        StoreFixture.copy(master, halfWritten);
        Files.delete(halfWritten.resolve(BlockStore.INDEX));
        Files.writeString(halfWritten.resolve(BlockStore.PROFILES), "{\"sparsit");
        // killed after setting the old store aside and moving the new one in, before deleting the old
        StoreFixture.copy(master, tmp.resolve(".store.old-" + DEAD));
        // names of the first format version (a bare number): their writer is gone too
        Files.createDirectories(tmp.resolve(".store.tmp-123456789"));
        // a writer still running in this process, and files that are no litter of this store
        String live = ProcessHandle.current().pid() + "-zz";
        Files.createDirectories(tmp.resolve(".store.tmp-" + live));
        Files.createDirectories(tmp.resolve(".store.tmp-notatag"));
        Files.createDirectories(tmp.resolve(".other.tmp-" + DEAD));

        assertEquals("profiled", BlockStore.read(dir).stage(), "litter beside the store does not disturb reading it");
        BlockStore.write(dir, fixture.contents.withProfiles(null).withLatency(null));
        assertEquals("retrained", BlockStore.read(dir).stage());
        assertEquals(List.of(".other.tmp-" + DEAD, ".store.tmp-" + live, ".store.tmp-notatag", "store"),
                StoreFixture.names(tmp));
    }

    @Test
    void aStoreSetAsideIsNeverPromotedSilently(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        Path aside = tmp.resolve(".store.old-" + DEAD);
        StoreFixture.copy(master, aside); // killed between the two renames, or the store deleted after such a crash
        IOException e = assertThrows(IOException.class, () -> BlockStore.read(dir));
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.contains(dir + " is missing") && m.contains(aside.toString()) && m.contains("rename it to store"), m);
        assertFalse(Files.exists(dir), "nothing was renamed");
        assertTrue(Files.isRegularFile(aside.resolve(BlockStore.INDEX)));
        // the user renames it back: it is the old valid store
        Files.move(aside, dir);
        assertEquals("profiled", BlockStore.read(dir).stage());
        // without any copy the message says plainly that there is no store
        Path none = tmp.resolve("none");
        assertTrue(assertThrows(IOException.class, () -> BlockStore.read(none)).getMessage().contains(": no such directory ("));
    }

    @Test
    void aWriterReplacingAMissingStoreRemovesTheCopySetAside(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(master, tmp.resolve(".store.old-" + DEAD));
        BlockStore.write(dir, fixture.contents);
        assertEquals(List.of("store"), StoreFixture.names(tmp));
        assertEquals("profiled", BlockStore.read(dir).stage());
    }

    @Test
    void halfWrittenFilesInsideTheStoreAreNamed(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(master, dir);
        Path index = dir.resolve(BlockStore.INDEX);
        byte[] bytes = Files.readAllBytes(index);
        Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String m = assertThrows(IOException.class, () -> BlockStore.read(dir)).getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.contains("index.json is not valid JSON: ") && m.contains(" at line "), m);

        Files.write(index, bytes);
        Path teacher = dir.resolve(BlockStore.TEACHER);
        byte[] t = Files.readAllBytes(teacher);
        Files.write(teacher, java.util.Arrays.copyOf(t, t.length - 100));
        m = assertThrows(IOException.class, () -> BlockStore.read(dir)).getMessage();
        assertTrue(m.contains("checksum mismatch in teacher.onnx"), m);
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousStoreAndNoLitter(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(master, dir);
        for (int files = 0; files < 6; files++) {
            int after = files;
            assertThrows(IllegalStateException.class, () -> BlockStore.write(dir, fixture.contents.withProfiles(null)
                    .withLatency(null).withRetrained(null), after));
            assertEquals("profiled", BlockStore.read(dir).stage(), "after " + files + " files");
            assertEquals(List.of("store"), StoreFixture.names(tmp));
        }
    }
}
