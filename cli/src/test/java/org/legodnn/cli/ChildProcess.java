package org.legodnn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command a test runs in another process, with its exit code and its output (stdout and stderr together, as a
 * person would have seen it), so that a failure message can show what the command said.
 *
 * @param code   the exit code, or -1 when the command ran past its limit and was killed
 * @param output what the command printed
 */
record ChildProcess(int code, String output) {

    /**
     * Runs {@code command} in {@code dir} with {@code environment} added to this JVM's, its output going to
     * {@code log} (so that no pipe fills up); kills it after {@code limit}, a guard against a hang, not a timing test.
     */
    static ChildProcess run(List<String> command, Path dir, Map<String, String> environment, Path log, Duration limit)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            return new ChildProcess(-1, Files.readString(log, StandardCharsets.UTF_8)
                    + "\n(killed after " + limit.toSeconds() + " s: " + String.join(" ", command) + ")");
        }
        return new ChildProcess(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The command's output, for a failure message. */
    String describe(String what) {
        return what + " exited with " + code + ":\n" + output;
    }
}
