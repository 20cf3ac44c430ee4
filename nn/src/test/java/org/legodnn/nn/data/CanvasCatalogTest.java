package org.legodnn.nn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The generated data sets by name: their sizes, classes, and train canvases from the train split. */
class CanvasCatalogTest {

    @Test
    void segmentationSetByName() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DataCatalog.Source s = DataCatalog.open("fashion-mnist-seg", null, new PrintStream(log, true, StandardCharsets.UTF_8));
        String line = log.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("fashion-mnist-seg: 60000 train and 2000 test 64x64 segmentation canvases (seed 1)"
                + " generated from fashion-mnist: "), line);
        Dataset train = s.train().load();
        Dataset test = s.test().load();
        assertEquals(60_000, train.size());
        assertEquals(2_000, test.size());
        assertEquals(11, test.classes());
        assertEquals(DataCatalog.classNames("fashion-mnist-seg"), test.classNames());
        assertTrue(s.augment().isIdentity());
        // The test canvases are made of test images: they differ from the train canvases of the same seed.
        assertTrue(!Arrays.equals(((SegmentationCanvases) train).canvas(0).pixels(),
                ((SegmentationCanvases) test).canvas(0).pixels()));
    }

    @Test
    void detectionSetByName() throws IOException {
        DataCatalog.Source s = DataCatalog.open("mnist-det", null, null);
        Dataset test = s.test().load();
        assertEquals(2_000, test.size());
        assertEquals(60_000, s.train().load().size());
        assertEquals(10, test.classes());
        assertEquals(96, test.height());
        assertEquals(Targets.Kind.BOXES, test.first(5).targetKind());
        assertTrue(DataCatalog.names().contains("mnist-det"));
    }
}
