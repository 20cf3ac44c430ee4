package org.legodnn.core.hostile;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * One reader on one input, watched: what it threw (null when it read the input), and how many bytes its thread
 * allocated — a reader that checks before it allocates stays near the input's own size whatever the input
 * announces. The 30-second limit only guards against a hang; it is not a timing assertion.
 */
record Attempt(Throwable thrown, long allocatedBytes) {

    /** Phrases of JVM-internal messages that a reader must turn into its own words. */
    static final List<String> INTERNAL = List.of("Cannot invoke", "/ by zero", "For input string", "out of bounds for length",
            "java.lang.", "NullPointerException", "ClassCastException", "integer overflow");

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static Attempt run(Readers reader, Path input) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            long id = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(id);
            Throwable thrown = null;
            try {
                reader.read(input);
            } catch (Throwable t) {
                thrown = t;
            }
            return new Attempt(thrown, THREADS.getThreadAllocatedBytes(id) - before);
        }, () -> reader + " did not finish reading " + input + " within 30 s (a hang?)");
    }

    /** What reading may allocate: the input's size many times over, but never what a corrupt header announces. */
    static long allowance(Path input) throws java.io.IOException {
        long size;
        if (Files.isDirectory(input)) {
            try (Stream<Path> s = Files.walk(input)) {
                size = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
        } else {
            size = Files.size(input);
        }
        return (256L << 20) + 64 * size;
    }

    /** Fails unless nothing escaped but the reader's documented exceptions, with one line of message. */
    void checkContained(Readers reader, Path input) throws java.io.IOException {
        if (thrown instanceof Error e) {
            fail(reader + " on " + input + ": the JVM error " + e + " escaped", e);
        }
        if (thrown != null) {
            if (!reader.documents(thrown)) {
                fail(reader + " on " + input + ": " + thrown.getClass().getName() + " escaped (documented: "
                        + reader.documented + "): " + thrown.getMessage(), thrown);
            }
            String m = thrown.getMessage();
            assertTrue(m != null && !m.isBlank(), reader + " on " + input + ": an exception without a message");
            assertTrue(!m.contains("\n") && !m.contains("\r"), reader + " on " + input + ": a message of more than one line: " + m);
            for (String phrase : INTERNAL) {
                assertTrue(!m.contains(phrase), reader + " on " + input + ": a JVM-internal message: " + m);
            }
        }
        long allowed = allowance(input);
        assertTrue(allocatedBytes <= allowed, reader + " on " + input + ": allocated " + (allocatedBytes >> 20)
                + " MiB for an input of this size (allowed " + (allowed >> 20) + " MiB): it trusted a size it had not checked");
    }
}
