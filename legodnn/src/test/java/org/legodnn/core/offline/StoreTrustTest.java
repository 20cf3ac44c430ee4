package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block store loads only what its index lists with a SHA-256, only from inside the store, and checks the bytes
 * again whenever it loads a file after opening: a crafted index cannot make it read a file elsewhere, and a file
 * swapped after opening (a concurrent rewrite) is refused instead of served.
 */
class StoreTrustTest {

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

    private static Path copy(Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(master, dir);
        return dir;
    }

    private static String descendant(int block, double sparsity) {
        return "blocks/" + BlockStore.descendantFile(fixture.teacher.blocks.get(block).index(), sparsity);
    }

    /** {@code body} fails with one IOException line that contains every one of {@code parts}. */
    private static String fails(Executable body, String... parts) {
        IOException e = assertThrows(IOException.class, body);
        String m = e.getMessage();
        assertFalse(m.contains("\n"), "one line: " + m);
        for (String p : parts) {
            assertTrue(m.contains(p), "'" + p + "' in: " + m);
        }
        return m;
    }

    @Test
    void aDescendantFileOutsideTheStoreIsRefusedByName(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        String inside = descendant(1, 0.4);
        // a valid model with its right checksum, but outside the store: listed under a name that climbs out
        Files.copy(dir.resolve(inside), tmp.resolve("x.onnx"));
        String sum = BlockStore.sha256(tmp.resolve("x.onnx"));
        for (String outside : new String[] {"../x.onnx", "blocks/../../x.onnx", tmp.resolve("x.onnx").toString()}) {
            Path d = tmp.resolve("s" + Math.abs(outside.hashCode()));
            StoreFixture.copy(master, d);
            StoreFixture.editIndex(d, t -> t.replace("\"file\": \"" + inside + "\"", "\"file\": \"" + outside + "\"")
                    .replace("\"files\": {", "\"files\": {\n    \"" + outside + "\": \"" + sum + "\","));
            fails(() -> BlockStore.read(d), "\"" + outside + "\"", "lies outside the store");
        }
        // not listed at all: refused before anything is read
        StoreFixture.editIndex(dir, t -> t.replace("\"file\": \"" + inside + "\"", "\"file\": \"../x.onnx\""));
        fails(() -> BlockStore.read(dir), "blocks[1].descendants[1].file is \"../x.onnx\"", "lists with its SHA-256");
    }

    @Test
    void aSymbolicLinkOutOfTheStoreIsRefused(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        String name = descendant(0, 0.8);
        Path outside = tmp.resolve("elsewhere.onnx");
        Files.move(dir.resolve(name), outside);
        Files.createSymbolicLink(dir.resolve(name), outside); // same bytes, same checksum: only the place is wrong
        fails(() -> BlockStore.read(dir), "\"" + name + "\"", "lies outside the store");
    }

    @Test
    void aFileTheIndexDoesNotListIsNeverLoaded(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        StoreFixture.editIndex(dir, t -> t.replaceAll(",\n    \"latency.json\": \"[0-9a-f]{64}\"", ""));
        String m = fails(() -> BlockStore.read(dir), "latency.json is not listed", "without a checksum");
        assertTrue(m.startsWith("block store "), m);
        // a profiled stage needs its profiles listed
        Path other = tmp.resolve("other");
        StoreFixture.copy(master, other);
        Files.delete(other.resolve(BlockStore.PROFILES));
        StoreFixture.editIndex(other, t -> t.replaceAll("\n    \"profiles.json\": \"[0-9a-f]{64}\",", ""));
        fails(() -> BlockStore.read(other), "index.json: files does not list profiles.json");
    }

    @Test
    void filesLoadedAfterOpeningAreCheckedAgain(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        StoredBlocks s = BlockStore.read(dir);
        assertNotNull(s.profiles());
        assertNotNull(s.latency());
        assertNotNull(s.teacher());
        assertNotNull(s.descendant(1, 1));
        // swapped after opening, each for a valid file of the same kind: refused, naming the file
        String d11 = descendant(1, 0.4);
        Files.copy(dir.resolve(descendant(1, 0.8)), dir.resolve(d11), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        fails(() -> s.descendant(1, 1), d11 + " changed since the store was written");
        Files.writeString(dir.resolve(BlockStore.PROFILES), Files.readString(dir.resolve(BlockStore.PROFILES)) + " ");
        fails(() -> s.profiles(), "profiles.json changed");
        Files.writeString(dir.resolve(BlockStore.LATENCY), Files.readString(dir.resolve(BlockStore.LATENCY)) + " ");
        fails(() -> s.latency(), "latency.json changed");
        Files.write(dir.resolve(BlockStore.TEACHER), new byte[] {8, 7});
        fails(() -> s.teacher(), "teacher.onnx changed");
        Files.delete(dir.resolve(descendant(0, 0.0)));
        fails(() -> s.descendant(0, 0), descendant(0, 0.0) + " is missing");
    }

    @Test
    void aStoreRewrittenUnderAnOpenHandleIsNotServedThroughIt(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp);
        StoredBlocks before = BlockStore.read(dir);
        // another process retrains: every descendant gets new weights and the store is replaced
        fixture.teacher.descendants.get(2).get(1).module().parameters().get(0).data()[0] += 1f;
        try {
            BlockStore.write(dir, fixture.contents);
        } finally {
            fixture.teacher.descendants.get(2).get(1).module().parameters().get(0).data()[0] -= 1f;
        }
        fails(() -> before.descendant(2, 1), descendant(2, 0.4) + " changed since the store was written");
        assertEquals(fixture.teacher.blocks.size(), BlockStore.read(dir).blocks(BlockStore.read(dir).teacher()).size());
    }
}
