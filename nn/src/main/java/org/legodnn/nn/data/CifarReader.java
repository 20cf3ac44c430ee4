package org.legodnn.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100 (the {@code -binary.tar.gz} archives, unpacked).
 * Each file is a run of fixed-size records: the label byte(s), then 3072 pixel bytes of a 32×32 image as
 * three planes — 1024 red, 1024 green, 1024 blue, each row by row — which is already CHW. CIFAR-10 has one
 * label byte; CIFAR-100 has two, the coarse (20 super-classes) then the fine (100 classes) label.
 */
public final class CifarReader {

    /** Which of the two layouts a file has, and for CIFAR-100 which label to use. */
    public enum Labels {
        /** One label byte, 10 classes. */
        CIFAR10(1, 0, 10),
        /** Two label bytes, the second (fine, 100 classes) is used. */
        CIFAR100_FINE(2, 1, 100),
        /** Two label bytes, the first (coarse, 20 super-classes) is used. */
        CIFAR100_COARSE(2, 0, 20);

        final int labelBytes;
        final int which;
        final int classes;

        Labels(int labelBytes, int which, int classes) {
            this.labelBytes = labelBytes;
            this.which = which;
            this.classes = classes;
        }

        /** Bytes per record: label bytes plus 3072 pixel bytes. */
        public int recordBytes() {
            return labelBytes + PIXELS;
        }

        public int classes() {
            return classes;
        }
    }

    /** Pixel bytes per image: 3 planes of 32×32. */
    public static final int PIXELS = 3 * 32 * 32;
    /** The most pixel bytes one data set may hold: one Java array (CIFAR's 50,000 images are 154 MB). */
    private static final long MAX_PIXEL_BYTES = Integer.MAX_VALUE - 16;
    /** A class-name file longer than this is not CIFAR's (theirs are under 1 KB). */
    private static final long MAX_META_BYTES = 1 << 20;

    private CifarReader() {
    }

    /**
     * Reads and concatenates {@code files} (e.g. {@code data_batch_1.bin} ... {@code data_batch_5.bin}).
     *
     * @param classNames the class names, or null to take them from the meta file beside the first file
     *                   ({@code batches.meta.txt}, {@code fine_label_names.txt}, {@code coarse_label_names.txt})
     *                   when it exists, else to number them
     */
    public static InMemoryDataset read(List<Path> files, Labels layout, List<String> classNames) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("CifarReader.read: no files given");
        }
        int record = layout.recordBytes();
        long total = 0;
        for (Path f : files) {
            long size;
            try {
                size = Files.size(f);
            } catch (NoSuchFileException e) {
                throw new IOException(f + ": no such file (expected a " + layout + " binary batch file)", e);
            }
            if (size == 0 || size % record != 0) {
                throw new IOException(f + ": " + size + " bytes is not a whole number of " + record
                        + "-byte records (" + layout.labelBytes + " label byte" + (layout.labelBytes == 1 ? "" : "s")
                        + " + 3072 pixel bytes, the " + (layout == Labels.CIFAR10 ? "CIFAR-10" : "CIFAR-100")
                        + " binary layout)");
            }
            total += size / record;
            if (total * PIXELS > MAX_PIXEL_BYTES) {
                throw new IOException(f + ": " + total + " images of 3x32x32 so far, more than the " + MAX_PIXEL_BYTES / PIXELS
                        + " that one data set holds (2 GiB of pixels)");
            }
        }
        List<byte[]> contents = new ArrayList<>();
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            if (bytes.length % record != 0) {
                throw new IOException(f + ": changed while it was read (" + bytes.length + " bytes)");
            }
            contents.add(bytes);
        }
        int n = (int) total;
        byte[] pixels = new byte[n * PIXELS];
        int[] labels = new int[n];
        int image = 0;
        List<String> names = classNames != null ? classNames : metaNames(files.get(0), layout);
        for (int f = 0; f < contents.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int off = 0; off < bytes.length; off += record, image++) {
                int label = bytes[off + layout.which] & 0xff;
                if (label >= layout.classes) {
                    throw new IOException(files.get(f) + ": record " + (off / record) + " has label " + label
                            + ", expected below " + layout.classes + " for " + layout);
                }
                labels[image] = label;
                System.arraycopy(bytes, off + layout.labelBytes, pixels, image * PIXELS, PIXELS);
            }
        }
        if (names == null) {
            names = new ArrayList<>();
            for (int k = 0; k < layout.classes; k++) {
                names.add(Integer.toString(k));
            }
        }
        if (names.size() != layout.classes) {
            throw new IOException("CifarReader: " + names.size() + " class names given for " + layout + ", which has "
                    + layout.classes + " classes");
        }
        return new InMemoryDataset(pixels, labels, 3, 32, 32, names);
    }

    /** Class names from the archive's text meta file beside {@code file}, or null when there is none. */
    private static List<String> metaNames(Path file, Labels layout) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        String name = switch (layout) {
            case CIFAR10 -> "batches.meta.txt";
            case CIFAR100_FINE -> "fine_label_names.txt";
            case CIFAR100_COARSE -> "coarse_label_names.txt";
        };
        Path meta = dir == null ? null : dir.resolve(name);
        if (meta == null || !Files.isRegularFile(meta) || Files.size(meta) > MAX_META_BYTES) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(meta);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(meta + ": class names are not UTF-8 text", e);
        }
        for (String line : lines) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        return names.size() == layout.classes ? names : null;
    }
}
