package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCatalogTest {

    @TempDir
    Path dir;

    @Test
    void shippedFashionMnistSubsetLoads() throws IOException {
        DataCatalog.Source s = DataCatalog.shipped("fashion-mnist");
        assertFalse(s.full());
        assertTrue(s.description().contains("subset"), s.description());
        Dataset test = s.test().load();
        assertEquals(10000, test.size());
        assertEquals(1, test.channels());
        assertEquals(28, test.height());
        assertEquals(28, test.width());
        assertEquals(10, test.classes());
        assertEquals("Ankle boot", test.classNames().get(9));
        // The first test image of Fashion-MNIST is an ankle boot, the second a pullover.
        assertEquals(9, test.label(0));
        assertEquals(2, test.label(1));
        assertEquals(10000, s.train().load().size());
    }

    @Test
    void shippedMnistSubsetLoads() throws IOException {
        Dataset test = DataCatalog.shipped("mnist").test().load();
        assertEquals(10000, test.size());
        assertEquals(7, test.label(0)); // MNIST's first test digit is a 7
    }

    @Test
    void dataDirWinsAndSaysSo() throws IOException {
        Path fm = Files.createDirectories(dir.resolve("fashion-mnist"));
        Files.write(fm.resolve("train-images-idx3-ubyte.gz"), IdxReaderTest.gzip(IdxReaderTest.images(6, 28, 28)));
        Files.write(fm.resolve("train-labels-idx1-ubyte"), IdxReaderTest.labels(6, 10));
        Files.write(fm.resolve("t10k-images.idx3-ubyte"), IdxReaderTest.images(4, 28, 28));
        Files.write(fm.resolve("t10k-labels.idx1-ubyte.gz"), IdxReaderTest.gzip(IdxReaderTest.labels(4, 10)));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DataCatalog.Source s = DataCatalog.open("fashion-mnist", dir, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(s.full());
        String line = log.toString(StandardCharsets.UTF_8);
        assertTrue(line.contains(fm.toString()) && line.endsWith(System.lineSeparator()), line);
        assertEquals(1, line.lines().count());
        assertEquals(6, s.train().load().size());
        assertEquals(4, s.test().load().size());
    }

    @Test
    void aDataDirWithoutTheFilesIsAnError() {
        IOException e = assertThrows(IOException.class, () -> DataCatalog.open("mnist", dir, null));
        assertTrue(e.getMessage().contains("--data " + dir) && e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
        IOException c = assertThrows(IOException.class, () -> DataCatalog.open("cifar10", dir, null));
        assertTrue(c.getMessage().contains("cifar-10-batches-bin"), c.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataCatalog.open("imagenet", null, null));
        assertThrows(IllegalArgumentException.class, () -> DataCatalog.shipped("cifar10"));
    }

    @Test
    void findsCifar10InItsArchiveFolder() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        byte[] record = new byte[3073];
        record[0] = 4;
        for (int i = 1; i <= 5; i++) {
            Files.write(bin.resolve("data_batch_" + i + ".bin"), record);
        }
        Files.write(bin.resolve("test_batch.bin"), record);
        DataCatalog.Source s = DataCatalog.open("cifar10", dir, null);
        assertEquals(5, s.train().load().size());
        Dataset test = s.test().load();
        assertEquals("deer", test.classNames().get(test.label(0)));
        assertEquals(3, s.normalize().channels());
    }

    @Test
    void imageFolderNeedsTrainAndTest() throws IOException {
        assertThrows(IOException.class, () -> DataCatalog.open("folder", dir, null));
        for (String split : new String[] {"train", "val"}) {
            for (String cls : new String[] {"a", "b"}) {
                Path d = Files.createDirectories(dir.resolve(split).resolve(cls));
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(split.equals("train") ? 6 : 9, 6,
                        java.awt.image.BufferedImage.TYPE_INT_RGB);
                javax.imageio.ImageIO.write(img, "png", d.resolve("x.png").toFile());
            }
        }
        DataCatalog.Source s = DataCatalog.open("folder", dir, null);
        Dataset test = s.test().load();
        assertEquals(2, test.size());
        assertEquals(6, test.width(), "test images are resized to the training size");
        assertEquals(3, test.channels());
    }
}
