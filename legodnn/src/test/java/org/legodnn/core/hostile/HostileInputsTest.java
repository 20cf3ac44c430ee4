package org.legodnn.core.hostile;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crafted corpus in {@code src/test/resources/hostile/} (written by {@code tools/hostile/}: one file or
 * case folder per way an input can be wrong — sizes and counts that do not fit the file, numbers out of range
 * or of the wrong type, files of another kind, decompression bombs), fed to every reader. Each input must be
 * refused with the reader's documented exception, one line naming the input and what was wrong (as pinned in
 * the category's {@code EXPECTED.tsv}), no JVM error, no hang, and no allocation of what a header announces.
 */
class HostileInputsTest {

    @TempDir
    Path work;

    static Path corpus() throws URISyntaxException {
        return Path.of(HostileInputsTest.class.getResource("/hostile").toURI());
    }

    /** Every crafted input of {@code reader}: the files, or for folder readers the case folders, by name. */
    static List<Path> inputs(Readers reader) throws IOException, URISyntaxException {
        Path dir = corpus().resolve(reader.folder);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().equals("EXPECTED.tsv")).sorted().toList();
        }
    }

    /** The category's pinned messages: input name, a tab, what the message must contain. */
    static Map<String, String> expected(Readers reader) throws IOException, URISyntaxException {
        Map<String, String> out = new LinkedHashMap<>();
        Path f = corpus().resolve(reader.folder).resolve("EXPECTED.tsv");
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("\t", 2);
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyCraftedInputIsRefusedInOneLine() throws IOException, URISyntaxException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Readers reader : Readers.values()) {
            Map<String, String> expected = expected(reader);
            for (Path input : inputs(reader)) {
                String name = input.getFileName().toString();
                tests.add(DynamicTest.dynamicTest(reader + " " + name, () -> {
                    Path read = reader.prepare(input, work);
                    Attempt a = Attempt.run(reader, read);
                    assertNotNull(a.thrown(), reader + " accepted the hostile input " + input);
                    a.checkContained(reader, read);
                    String m = a.thrown().getMessage();
                    assertTrue(m.contains(name), reader + " on " + name + ": the message does not name the input: " + m);
                    String want = expected.get(name);
                    assertNotNull(want, "no EXPECTED.tsv line for " + reader.folder + "/" + name + " (message: " + m + ")");
                    assertTrue(m.contains(want), reader + " on " + name + ": expected the message to say '" + want
                            + "', it says: " + m);
                }));
            }
            assertTrue(expected.keySet().stream().allMatch(k -> Files.exists(corpus0(reader).resolve(k))),
                    reader.folder + "/EXPECTED.tsv names an input that does not exist");
        }
        return tests.stream();
    }

    private static Path corpus0(Readers reader) {
        try {
            return corpus().resolve(reader.folder);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
