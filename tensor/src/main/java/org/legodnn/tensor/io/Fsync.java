package org.legodnn.tensor.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Forces written files and directory entries to the disk, so that an atomic rename survives a power loss and
 * not only a killed process: without it the rename may reach the disk before the data it publishes. Files are
 * forced before they are renamed into place, the directory holding the new name after.
 */
public final class Fsync {

    private Fsync() {
    }

    /** Forces the content and metadata of the regular file {@code file}. */
    public static void file(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    /**
     * Forces the entries of directory {@code dir} (names created, renamed or deleted in it). Best effort: some
     * platforms (Windows) cannot open a directory for this, and there nothing more can be done from Java.
     */
    public static void directory(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            // not supported here: the rename is still atomic, only not forced
        }
    }

    /** Forces every regular file under {@code root}, then every directory, deepest first. */
    public static void tree(Path root) throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    file(p);
                } else if (Files.isDirectory(p)) {
                    dirs.add(p);
                }
            }
        }
        for (int i = dirs.size() - 1; i >= 0; i--) {
            directory(dirs.get(i));
        }
    }
}
