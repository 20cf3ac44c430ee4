package org.legodnn.tensor.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a temporary file's or directory's name that says which process is writing it, so that the next
 * writer can tell the litter of a killed writer (its process gone) from the work of one still running beside it,
 * and remove only the former. A tag is the writer's process id, a dash and a random number in base 36
 * ({@code 4711-1x9k2c0}).
 */
public final class WriterTag {

    /** A tag as {@link #fresh} makes it: group 1 is the process id. */
    public static final Pattern PATTERN = Pattern.compile("(\\d{1,19})-([0-9a-z]{1,13})");

    private static final SecureRandom RANDOM = new SecureRandom();

    private WriterTag() {
    }

    /** A new tag of this process. */
    public static String fresh() {
        return ProcessHandle.current().pid() + "-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }

    /**
     * Whether {@code tag}, found in the name of {@code path}, belongs to a writer that is gone: its process no
     * longer runs, or the process now holding that id started after {@code path} was last written (the id was
     * reused). A writer of this process counts as alive (it may be another thread's); a tag that is not of
     * {@link #PATTERN}'s form is treated as abandoned, so callers must only pass names they made themselves.
     */
    public static boolean abandoned(String tag, Path path) {
        Matcher m = PATTERN.matcher(tag);
        if (!m.matches()) {
            return true;
        }
        long pid;
        try {
            pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return true;
        }
        if (pid == ProcessHandle.current().pid()) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = p.get().info().startInstant();
        if (started.isEmpty()) {
            return false;
        }
        try {
            return started.get().isAfter(Files.getLastModifiedTime(path).toInstant());
        } catch (IOException e) {
            return false;
        }
    }
}
