package org.legodnn.tensor.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Writes a file so that a reader sees the old content or the new, never half of it, and a crash leaves no
 * partial file under the real name: the bytes go to a hidden temporary file beside the target
 * ({@code .NAME.TAG.tmp}, {@link WriterTag}), which is forced to the disk and renamed over it, and the directory
 * is forced after the rename. A writer killed before the rename leaves its temporary file; the next write of the
 * same target removes it (and any other of a writer that is gone). The temporary file is created like any new
 * file (so the result gets the usual permissions, not the owner-only ones of {@link Files#createTempFile}).
 */
public final class AtomicWrite {

    /** The temporary names of earlier versions: a random UUID in place of the tag. */
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** What writes the content. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    private AtomicWrite() {
    }

    /** Writes {@code target} with what {@code body} writes, creating missing parent directories. */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
            removeLitter(parent, abs.getFileName().toString());
        }
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + WriterTag.fresh() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.write(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            if (parent != null) {
                Fsync.directory(parent);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Deletes the temporary files of earlier writers of {@code name} in {@code dir} whose process is gone. */
    static void removeLitter(Path dir, String name) throws IOException {
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp") && f.length() > prefix.length() + 4;
        })) {
            for (Path p : s) {
                String f = p.getFileName().toString();
                String tag = f.substring(prefix.length(), f.length() - 4);
                boolean ours = WriterTag.PATTERN.matcher(tag).matches() || UUID.matcher(tag).matches();
                if (ours && Files.isRegularFile(p) && WriterTag.abandoned(tag, p)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
