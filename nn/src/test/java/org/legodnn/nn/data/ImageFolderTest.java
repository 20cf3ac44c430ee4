package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path root;

    private static BufferedImage rgb(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (r(seed, x, y) << 16) | (g(seed, x, y) << 8) | b(seed, x, y));
            }
        }
        return img;
    }

    private static int r(int s, int x, int y) {
        return (s * 40 + x * 10 + y) & 0xff;
    }

    private static int g(int s, int x, int y) {
        return (s * 7 + y * 20) & 0xff;
    }

    private static int b(int s, int x, int y) {
        return (255 - x - y - s) & 0xff;
    }

    private static BufferedImage gray(int w, int h, int seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (seed * 50 + x * 3 + y * 11) & 0xff);
            }
        }
        return img;
    }

    private void write(String cls, String name, BufferedImage img) throws IOException {
        Path d = Files.createDirectories(root.resolve(cls));
        ImageIO.write(img, "png", d.resolve(name).toFile());
    }

    @Test
    void readsClassesInSortedOrderAsRgbChw() throws IOException {
        write("dog", "b.png", rgb(5, 4, 2));
        write("dog", "a.png", rgb(5, 4, 1));
        write("cat", "x.png", rgb(5, 4, 3));
        Files.writeString(root.resolve("dog").resolve("notes.txt"), "not an image");
        InMemoryDataset ds = ImageFolder.load(root, 3, 0, 0);
        assertEquals(List.of("cat", "dog"), ds.classNames());
        assertEquals(3, ds.size());
        assertEquals(0, ds.label(0));
        assertEquals(1, ds.label(1));
        assertEquals(1, ds.label(2));
        assertEquals(4, ds.height());
        assertEquals(5, ds.width());
        // dog/a.png (seed 1) is image 1: files sorted within a class.
        float[] x = ds.image(1);
        int plane = 20;
        for (int y = 0; y < 4; y++) {
            for (int xx = 0; xx < 5; xx++) {
                assertEquals(r(1, xx, y) / 255f, x[y * 5 + xx]);
                assertEquals(g(1, xx, y) / 255f, x[plane + y * 5 + xx]);
                assertEquals(b(1, xx, y) / 255f, x[2 * plane + y * 5 + xx]);
            }
        }
    }

    @Test
    void readsGrayImagesAsStoredAndRgbAsLuma() throws IOException {
        write("a", "g.png", gray(3, 3, 1));
        write("b", "c.png", rgb(3, 3, 0));
        InMemoryDataset ds = ImageFolder.load(root, 1, 0, 0);
        assertEquals(1, ds.channels());
        float[] g = ds.image(0);
        assertEquals(((50 + 2 * 3 + 1 * 11) & 0xff) / 255f, g[1 * 3 + 2]);
        float[] c = ds.image(1);
        int luma = (r(0, 1, 2) * 19595 + g(0, 1, 2) * 38470 + b(0, 1, 2) * 7471 + 0x8000) >>> 16;
        assertEquals(luma / 255f, c[2 * 3 + 1]);
        // Gray read as RGB repeats the gray value into all three channels.
        InMemoryDataset rgb = ImageFolder.load(root, 3, 0, 0);
        float[] g3 = rgb.image(0);
        assertEquals(g3[4], g3[9 + 4]);
        assertEquals(g3[4], g3[18 + 4]);
    }

    @Test
    void checksOrResizesToOneSize() throws IOException {
        write("a", "small.png", gray(4, 4, 0));
        write("b", "big.png", gray(8, 8, 0));
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(root, 1, 0, 0));
        assertTrue(e.getMessage().contains("big.png") && e.getMessage().contains("expected 4x4"), e.getMessage());
        InMemoryDataset ds = ImageFolder.load(root, 1, 6, 6);
        assertEquals(6, ds.height());
        assertEquals(6, ds.width());
        assertEquals(2, ds.size());
    }

    @Test
    void resizeOfAConstantImageIsConstantAndIdentityKeepsPixels() {
        byte[] flat = new byte[3 * 3];
        java.util.Arrays.fill(flat, (byte) 200);
        for (byte v : ImageFolder.resize(flat, 1, 3, 3, 7, 5)) {
            assertEquals(200, v & 0xff);
        }
        byte[] ramp = {0, 10, 20, 30, 40, 50};
        assertEquals(java.util.Arrays.toString(ramp), java.util.Arrays.toString(ImageFolder.resize(ramp, 1, 2, 3, 2, 3)));
    }

    @Test
    void fixedClassListAndErrors() throws IOException {
        write("b", "x.png", gray(2, 2, 0));
        InMemoryDataset ds = ImageFolder.load(root, 1, 0, 0, List.of("a", "b", "c"));
        assertEquals(3, ds.classes());
        assertEquals(1, ds.label(0));
        assertThrows(IOException.class, () -> ImageFolder.load(root, 1, 0, 0, List.of("a")));
        assertThrows(IOException.class, () -> ImageFolder.load(root.resolve("missing"), 1, 0, 0));
        Files.write(root.resolve("b").resolve("broken.png"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(root, 1, 0, 0));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }
}
