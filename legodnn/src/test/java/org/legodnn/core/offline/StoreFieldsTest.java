package org.legodnn.core.offline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of {@code index.json}, {@code profiles.json} and {@code latency.json} is checked for its type and
 * range, and a wrong one fails with one line naming the file and the field (not a class cast, a null pointer or a
 * silently truncated number); the checksums of edited profiles are updated, so only the field checks stand between
 * the file and the optimizer.
 */
class StoreFieldsTest {

    @TempDir
    static Path shared;
    private static Path master;

    @BeforeAll
    static void writeOnce() throws IOException {
        master = shared.resolve("master");
        BlockStore.write(master, new StoreFixture().contents);
    }

    private static String firstReplaced(String text, String regex, String replacement) {
        String out = text.replaceFirst(regex, replacement);
        assertNotEquals(text, out, "the edit " + regex + " applies");
        return out;
    }

    static Stream<Arguments> indexEdits() {
        return Stream.of(
                Arguments.of("\"params\": \\d+", "\"params\": 1e300",
                        "index.json: blocks[0].descendants[0].params is 1.0E300 (expected an integer from 0 to 2^53)"),
                Arguments.of("\"flops\": \\d+", "\"flops\": -5", "blocks[0].descendants[0].flops is -5"),
                Arguments.of("\"first_node\": \\d+", "\"first_node\": 2.5", "blocks[0].first_node is 2.5 (expected an integer"),
                Arguments.of("\"first_node\": \\d+", "\"first_node\": \"3\"", "blocks[0].first_node is \"3\""),
                Arguments.of("\"input_shape\": \\[1", "\"input_shape\": [0", "blocks[0].input_shape[0] is 0"),
                Arguments.of("\"sparsities\": \\[[^]]*]", "\"sparsities\": \"0,0.4\"", "sparsities is \"0,0.4\" (expected an array)"),
                Arguments.of("\"sparsities\": \\[[^]]*]", "\"sparsities\": [0.0, 0.8, 0.4]", "sparsities is"),
                Arguments.of("\"max_ratio\": [0-9.]+", "\"max_ratio\": 0", "max_ratio is 0"),
                Arguments.of("\"criterion\": \"[A-Z_0-9]+\"", "\"criterion\": \"BOGUS\"", "criterion is \"BOGUS\" (expected one of"),
                Arguments.of("\"stage\": \"[a-z]+\"", "\"stage\": 7", "stage is 7 (expected a string)"),
                Arguments.of("\"files\": \\{", "\"filez\": {", "index.json: files is missing (expected an object)"),
                Arguments.of("\"teacher.onnx\": \"[0-9a-f]{64}\"", "\"teacher.onnx\": \"XYZ\"", "files[\"teacher.onnx\"] is \"XYZ\""),
                Arguments.of("\"descendants\": \\[", "\"descendants\": [{\"sparsity\": 0.0},", "blocks[0].descendants has 4 entries"),
                Arguments.of("\"normalize\": \\{\"mean\": \\[[^]]*]", "\"normalize\": {\"mean\": [1e999]", "normalize.mean[0] is"),
                Arguments.of("\\}\\s*$", "", "index.json is not valid JSON: "),
                Arguments.of("\"blocks\": \\[", "\"blocks\": 12, \"x\": [", "blocks is 12 (expected an array)"));
    }

    @ParameterizedTest
    @MethodSource("indexEdits")
    void aWrongIndexFieldIsNamed(String regex, String replacement, String expected, @TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(master, dir);
        StoreFixture.editIndex(dir, t -> firstReplaced(t, regex, replacement));
        IOException e = assertThrows(IOException.class, () -> BlockStore.read(dir));
        assertOneLine(e.getMessage(), expected);
    }

    @Test
    void anIndexThatIsNotUtf8IsNamed(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(master, dir);
        byte[] bytes = Files.readAllBytes(dir.resolve(BlockStore.INDEX));
        bytes[bytes.length / 2] = (byte) 0xC3;
        bytes[bytes.length / 2 + 1] = (byte) 0x28;
        Files.write(dir.resolve(BlockStore.INDEX), bytes);
        assertOneLine(assertThrows(IOException.class, () -> BlockStore.read(dir)).getMessage(), "index.json is not UTF-8");
    }

    static Stream<Arguments> profileEdits() {
        return Stream.of(
                Arguments.of(BlockStore.PROFILES, "\"size_bytes\": \\d+, \"peak", "\"size_bytes\": 1e300, \"peak",
                        "profiles.json: rows[0].size_bytes is 1.0E300 (expected an integer from 0 to 2^53)"),
                Arguments.of(BlockStore.PROFILES, "\"accuracy_drop\": [-0-9.E]+", "\"accuracy_drop\": null",
                        "profiles.json: rows[0].accuracy_drop is null"),
                Arguments.of(BlockStore.PROFILES, "\"accuracy\": [-0-9.E]+", "\"accuracy\": 1.5",
                        "profiles.json: teacher.accuracy is 1.5 (expected a number from 0.0 to 1.0)"),
                Arguments.of(BlockStore.PROFILES, "\"test_images\": \\d+", "\"test_images\": -1",
                        "profiles.json: teacher.test_images is -1"),
                Arguments.of(BlockStore.PROFILES, "\"selection\": \\[\\d", "\"selection\": [9",
                        "profiles.json: tested[0].selection[0] is 9"),
                Arguments.of(BlockStore.PROFILES, "\\{", "[", "profiles.json is not valid JSON"),
                Arguments.of(BlockStore.LATENCY, "\"median_ms\" : [0-9.E]+", "\"median_ms\" : -1.0",
                        "latency.json: LatencyProfileJson: whole: LatencyStats: p10 3.5 ms, median -1.0 ms"),
                Arguments.of(BlockStore.LATENCY, "\"samples\" : \\d+", "\"samples\" : 2.5",
                        "latency.json: LatencyProfileJson: whole: \"samples\" is 2.5 (expected an integer)"),
                Arguments.of(BlockStore.LATENCY, "(\"blocks\" : \\[\\s*\\[\\s*\\{\\s*\"median_ms\" : )[0-9.E]+", "$1-1.0",
                        "latency.json: LatencyProfileJson: blocks[0][0]: LatencyStats: p10 0.9 ms, median -1.0 ms"));
    }

    @ParameterizedTest
    @MethodSource("profileEdits")
    void aWrongProfileFieldIsNamed(String file, String regex, String replacement, String expected, @TempDir Path tmp)
            throws IOException {
        Path dir = tmp.resolve("store");
        StoreFixture.copy(master, dir);
        UnaryOperator<String> edit = t -> firstReplaced(t, regex, replacement);
        StoreFixture.editListed(dir, file, edit);
        StoredBlocks s = BlockStore.read(dir); // the checksums match: the store opens
        IOException e = assertThrows(IOException.class, () -> {
            s.profiles();
            s.latency();
        });
        assertOneLine(e.getMessage(), expected);
    }

    private static void assertOneLine(String message, String expected) {
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertTrue(message.startsWith("block store "), message);
        assertTrue(message.contains(expected), "'" + expected + "' in: " + message);
    }
}
