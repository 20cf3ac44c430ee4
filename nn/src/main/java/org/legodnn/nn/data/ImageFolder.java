package org.legodnn.nn.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads your own images laid out as torchvision's {@code ImageFolder}: one subfolder per class under a root,
 * the images of that class inside it. Classes are the subfolder names in sorted order (class 0 is the first),
 * images are read with {@code javax.imageio} (PNG, JPEG, BMP, GIF, TIFF and whatever plug-ins add), converted
 * to gray or RGB, and either checked to share one size or resized to a given one (bilinear, pixel centres
 * aligned as PyTorch's {@code align_corners=False}).
 */
public final class ImageFolder {

    private ImageFolder() {
    }

    /**
     * Reads every class subfolder of {@code root}.
     *
     * @param channels 1 (gray: ITU-R 601 luma of RGB images, as PIL's {@code convert("L")}) or 3 (RGB; gray
     *                 images are repeated into the three channels)
     * @param height   the size to resize every image to, or 0 to take the first image's size and require every
     *                 other image to have it
     * @param width    as {@code height}; both 0 or both positive
     */
    public static InMemoryDataset load(Path root, int channels, int height, int width) throws IOException {
        return load(root, channels, height, width, null);
    }

    /**
     * As {@link #load(Path, int, int, int)}, with the class list fixed in advance (for a test folder that
     * must use the training folder's classes): every subfolder must be one of {@code classes}.
     */
    public static InMemoryDataset load(Path root, int channels, int height, int width, List<String> classes)
            throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("ImageFolder: channels " + channels + " (expected 1 or 3)");
        }
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("ImageFolder: size " + height + "x" + width
                    + " (expected both 0 to keep the images' own size, or both positive)");
        }
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a directory (expected an image folder with one subfolder per class)");
        }
        List<String> found = subfolders(root);
        if (found.isEmpty()) {
            throw new IOException(root + ": has no class subfolders (expected one subfolder of images per class)");
        }
        List<String> names = classes != null ? List.copyOf(classes) : found;
        for (String f : found) {
            if (!names.contains(f)) {
                throw new IOException(root.resolve(f) + ": class '" + f + "' is not one of the expected classes " + names);
            }
        }
        Set<String> suffixes = new TreeSet<>();
        for (String s : ImageIO.getReaderFileSuffixes()) {
            suffixes.add(s.toLowerCase(Locale.ROOT));
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (String cls : found) {
            for (Path file : images(root.resolve(cls), suffixes)) {
                files.add(file);
                labels.add(names.indexOf(cls));
            }
        }
        if (files.isEmpty()) {
            throw new IOException(root + ": the class subfolders hold no images (readable types: " + suffixes + ")");
        }
        int h = height;
        int w = width;
        byte[] pixels = null;
        int[] y = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            BufferedImage img = ImageFile.decode(file);
            if (h == 0) {
                h = img.getHeight();
                w = img.getWidth();
            }
            if (pixels == null) {
                long total = (long) files.size() * channels * h * w;
                if (total > Integer.MAX_VALUE - 16) {
                    throw new IOException(root + ": " + files.size() + " images of " + channels + "x" + h + "x" + w
                            + " do not fit in memory as one array; resize them smaller");
                }
                pixels = new byte[(int) total];
            }
            byte[] planes = planes(img, channels);
            if (img.getHeight() != h || img.getWidth() != w) {
                if (height == 0) {
                    throw new IOException(file + ": is " + img.getWidth() + "x" + img.getHeight() + " pixels, expected "
                            + w + "x" + h + " like " + files.get(0) + " (pass a size to resize the images)");
                }
                planes = resize(planes, channels, img.getHeight(), img.getWidth(), h, w);
            }
            System.arraycopy(planes, 0, pixels, i * channels * h * w, planes.length);
            y[i] = labels.get(i);
        }
        return new InMemoryDataset(pixels, y, channels, h, w, names);
    }

    private static List<String> subfolders(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }

    private static List<Path> images(Path dir, Set<String> suffixes) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        int dot = n.lastIndexOf('.');
                        return !n.startsWith(".") && dot > 0 && suffixes.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
                    })
                    .sorted()
                    .toList();
        }
    }

    /** The image as {@code channels} planes of unsigned bytes, CHW. */
    static byte[] planes(BufferedImage img, int channels) {
        int h = img.getHeight();
        int w = img.getWidth();
        byte[] out = new byte[channels * h * w];
        Raster raster = img.getRaster();
        boolean gray = img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
                && img.getColorModel().getNumColorComponents() == 1
                && !(img.getColorModel() instanceof java.awt.image.IndexColorModel);
        // Gray samples are read as stored: getRGB would pass them through a linear-to-sRGB curve.
        int shift = gray ? Math.max(0, raster.getSampleModel().getSampleSize(0) - 8) : 0;
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                int p = yy * w + xx;
                if (gray) {
                    byte v = (byte) (raster.getSample(xx, yy, 0) >>> shift);
                    for (int c = 0; c < channels; c++) {
                        out[c * h * w + p] = v;
                    }
                } else {
                    int rgb = img.getRGB(xx, yy);
                    int r = (rgb >>> 16) & 0xff;
                    int g = (rgb >>> 8) & 0xff;
                    int b = rgb & 0xff;
                    if (channels == 1) {
                        out[p] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16); // PIL's L = 0.299R + 0.587G + 0.114B
                    } else {
                        out[p] = (byte) r;
                        out[h * w + p] = (byte) g;
                        out[2 * h * w + p] = (byte) b;
                    }
                }
            }
        }
        return out;
    }

    /** Bilinear resize of byte planes with half-pixel centres (PyTorch's {@code align_corners=False}). */
    static byte[] resize(byte[] src, int channels, int sh, int sw, int dh, int dw) {
        byte[] out = new byte[channels * dh * dw];
        float sy = (float) sh / dh;
        float sx = (float) sw / dw;
        for (int c = 0; c < channels; c++) {
            int sBase = c * sh * sw;
            int dBase = c * dh * dw;
            for (int y = 0; y < dh; y++) {
                float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
                int y0 = Math.min((int) fy, sh - 1);
                int y1 = Math.min(y0 + 1, sh - 1);
                float wy = fy - y0;
                for (int x = 0; x < dw; x++) {
                    float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                    int x0 = Math.min((int) fx, sw - 1);
                    int x1 = Math.min(x0 + 1, sw - 1);
                    float wx = fx - x0;
                    float top = (src[sBase + y0 * sw + x0] & 0xff) * (1 - wx) + (src[sBase + y0 * sw + x1] & 0xff) * wx;
                    float bot = (src[sBase + y1 * sw + x0] & 0xff) * (1 - wx) + (src[sBase + y1 * sw + x1] & 0xff) * wx;
                    out[dBase + y * dw + x] = (byte) Math.min(255, Math.round(top * (1 - wy) + bot * wy));
                }
            }
        }
        return out;
    }
}
