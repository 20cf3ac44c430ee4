package org.legodnn.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plot is a real PNG of the promised size with something drawn, written atomically, on any input. */
class TradeoffPlotTest {

    @TempDir
    Path dir;

    /** A sweep-like set: a cloud of compositions, a few chosen, two of them measured. */
    static List<TradeoffPoint> sample() {
        Random random = new Random(1);
        List<TradeoffPoint> points = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            double sparsity = random.nextDouble();
            double latency = 4 + 26 * (1 - sparsity) + 3 * random.nextDouble();
            long memory = (long) ((2 + 9 * (1 - sparsity) + random.nextDouble()) * 1024 * 1024);
            double accuracy = 0.92 - 0.25 * sparsity * sparsity - 0.04 * random.nextDouble();
            points.add(TradeoffPoint.of("c" + i, latency, memory, accuracy));
        }
        points.set(3, points.get(3).asChosen().withMeasured(points.get(3).accuracy() - 0.012));
        points.set(17, points.get(17).asChosen());
        points.set(42, points.get(42).asChosen().withMeasured(points.get(42).accuracy() + 0.006));
        return points;
    }

    @Test
    void writesAPngOfThePromisedSizeWithSomethingInThePlotArea() throws IOException {
        Path png = dir.resolve("tradeoff.png");
        TradeoffPlot.write(sample(), "LegoDNN demo: accuracy vs cost", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "ImageIO could not read the file back as an image");
        assertEquals(TradeoffPlot.WIDTH, image.getWidth());
        assertEquals(TradeoffPlot.HEIGHT, image.getHeight());
        assertTrue(nonWhite(image, 100, 120, 550, 400) > 100, "left panel is blank");
        assertTrue(nonWhite(image, 800, 120, 550, 400) > 100, "right panel is blank");
        assertEquals(List.of(png), listing(dir), "only the PNG is left in the directory");
    }

    @Test
    void replacesAnExistingFileAndCreatesMissingDirectories() throws IOException {
        Path png = dir.resolve("a/b/plot.png");
        TradeoffPlot.write(sample(), "first", png);
        TradeoffPlot.write(List.of(TradeoffPoint.of("one", 1, 1, 0.5)), "second", png);
        assertNotNull(ImageIO.read(png.toFile()));
        assertEquals(List.of(png), listing(png.getParent()));
    }

    @Test
    void noPointsIsRejectedSayingWhatWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TradeoffPlot.write(List.of(), "empty", dir.resolve("empty.png")));
        assertTrue(e.getMessage().contains("at least one"), e.getMessage());
        assertEquals(List.of(), listing(dir), "nothing written for a rejected input");
    }

    @Test
    void aSinglePointDraws() {
        BufferedImage image = TradeoffPlot.render(List.of(TradeoffPoint.of("only", 7, 3_000_000, 0.8).asChosen()), "one");
        assertTrue(nonWhite(image, 100, 120, 550, 400) > 0);
    }

    @Test
    void allEqualAndAllZeroValuesDraw() {
        TradeoffPoint same = TradeoffPoint.of("same", 5, 1 << 20, 0.9);
        TradeoffPlot.render(List.of(same, same, same), "all equal");
        TradeoffPoint zero = TradeoffPoint.of("zero", 0, 0, 0).withMeasured(0);
        BufferedImage image = TradeoffPlot.render(List.of(zero, zero.asChosen()), "all zero");
        assertTrue(nonWhite(image, 800, 120, 550, 400) > 0);
    }

    @Test
    void aNanMeasurementIsTheSameAsNone() {
        TradeoffPoint a = TradeoffPoint.of("a", 5, 1 << 20, 0.9).asChosen();
        TradeoffPoint b = TradeoffPoint.of("b", 9, 2 << 20, 0.95);
        BufferedImage plain = TradeoffPlot.render(List.of(a, b), "t");
        BufferedImage nan = TradeoffPlot.render(List.of(a.withMeasured(Double.NaN), b.withMeasured(Double.NaN)), "t");
        assertArrayEquals(pixels(plain), pixels(nan));
    }

    @Test
    void badValuesAreRejectedAtThePoint() {
        assertThrows(IllegalArgumentException.class, () -> TradeoffPoint.of("x", Double.NaN, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> TradeoffPoint.of("x", -1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> TradeoffPoint.of("x", 1, -1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> TradeoffPoint.of("x", 1, 0, Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> TradeoffPoint.of("x", 1, 0, 0.5).withMeasured(Double.POSITIVE_INFINITY));
    }

    @Test
    void axesHaveNiceStepsAndNeverAZeroRange() {
        assertEquals(0.5, TradeoffPlot.Axis.niceStep(0.4), 1e-12);
        assertEquals(2, TradeoffPlot.Axis.niceStep(2.2), 1e-12);
        assertEquals(50, TradeoffPlot.Axis.niceStep(41), 1e-12);
        assertEquals(100, TradeoffPlot.Axis.niceStep(80), 1e-12);
        TradeoffPlot.Axis latency = TradeoffPlot.Axis.around(4.2, 33.1);
        assertEquals(5, latency.step(), 1e-12);
        assertEquals(0, latency.min(), 1e-12);
        assertEquals(35, latency.max(), 1e-12);
        assertEquals("35", latency.label(35));
        TradeoffPlot.Axis flat = TradeoffPlot.Axis.around(90, 90);
        assertTrue(flat.max() > flat.min() && flat.min() < 90 && flat.max() > 90, flat.toString());
        TradeoffPlot.Axis zero = TradeoffPlot.Axis.around(0, 0);
        assertTrue(zero.max() > zero.min() && zero.min() == 0, zero.toString());
        TradeoffPlot.Axis fine = TradeoffPlot.Axis.around(0.101, 0.104);
        assertEquals(0.0005, fine.step(), 1e-12);
        assertEquals("0.1010", fine.label(0.101));
        assertEquals(List.of(0.0, 0.5, 1.0), new TradeoffPlot.Axis(0, 1, 0.5).ticks());
    }

    private static int nonWhite(BufferedImage image, int x0, int y0, int w, int h) {
        int count = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    count++;
                }
            }
        }
        return count;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static List<Path> listing(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
