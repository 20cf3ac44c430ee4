package org.legodnn.nn.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

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

    /**
     * Decodes {@code file}, or fails with one line naming the file and what is wrong with it.
     *
     * @throws IOException when the file is missing, unreadable or not an image javax.imageio can decode
     */
    public static BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": javax.imageio cannot read this image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(file + ": javax.imageio cannot read this file as an image (readable: PNG, JPEG,"
                    + " BMP, GIF, WBMP)");
        }
        return img;
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
