package org.legodnn.nn.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * One image file made into what a model's first layer takes, the way {@link ImageFolder} makes a whole data
 * set of them: decoded with {@code javax.imageio} (PNG, JPEG, BMP, GIF, ...), converted to gray or RGB,
 * resized bilinearly to the model's input size and scaled to [0, 1] as torchvision's {@code ToTensor} —
 * so that a picture classified on its own sees exactly what a test image of the same pixels sees.
 */
public final class ImageFile {

    private ImageFile() {
    }

    /** A decoded image as float planes, CHW, values in [0, 1]. */
    public record Pixels(float[] values, int channels, int height, int width, int sourceHeight, int sourceWidth) {
    }

    /** The most pixels one image may announce (8192×8192); decoding a larger one would need gigabytes. */
    static final long MAX_PIXELS = 1L << 26;

    /**
     * Decodes {@code file}, or fails with one line naming the file and what is wrong with it. The size is read
     * from the header and checked before the pixels are decoded: a few bytes of PNG can announce a
     * 100000×100000 image, which would exhaust memory while decoding.
     *
     * @throws IOException when the file is missing, unreadable, larger than {@link #MAX_PIXELS} or not an image
     *                     javax.imageio can decode
     */
    public static BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + ": javax.imageio cannot read this file as an image (readable: PNG, JPEG,"
                        + " BMP, GIF, WBMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
                    throw new IOException(file + ": announces " + w + "x" + h + " pixels (expected 1 to " + MAX_PIXELS
                            + " pixels, e.g. 8192x8192; resize it first)");
                }
                BufferedImage img = reader.read(0);
                if (img == null) {
                    throw new IOException(file + ": javax.imageio cannot read this file as an image");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": javax.imageio cannot read this image (" + oneLine(e.getMessage()) + ")", e);
        } catch (RuntimeException e) {
            // a decoder's own bug or bounds error on a corrupt file: its message means nothing to the user
            throw new IOException(file + ": javax.imageio's decoder failed on this image (corrupt or truncated?)", e);
        }
    }

    private static String oneLine(String m) {
        if (m == null) {
            return "no detail";
        }
        String line = m.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /**
     * Reads {@code file} as {@code channels} planes of {@code height}×{@code width} values in [0, 1].
     *
     * @param channels 1 (gray; RGB becomes ITU-R 601 luma, as PIL's {@code convert("L")}) or 3 (RGB; gray is
     *                 repeated into the three channels)
     * @param height   the size to resize to, or 0 (with {@code width} 0) to keep the image's own size
     */
    public static Pixels read(Path file, int channels, int height, int width) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("ImageFile: channels " + channels + " (expected 1 or 3)");
        }
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("ImageFile: size " + height + "x" + width
                    + " (expected both 0 to keep the image's own size, or both positive)");
        }
        BufferedImage img = decode(file);
        int h = height == 0 ? img.getHeight() : height;
        int w = width == 0 ? img.getWidth() : width;
        byte[] planes = ImageFolder.planes(img, channels);
        if (img.getHeight() != h || img.getWidth() != w) {
            planes = ImageFolder.resize(planes, channels, img.getHeight(), img.getWidth(), h, w);
        }
        float[] values = new float[planes.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (planes[i] & 0xff) / 255f; // as InMemoryDataset: byte / 255
        }
        return new Pixels(values, channels, h, w, img.getHeight(), img.getWidth());
    }
}
