package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.graph.onnx.OnnxExporter;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Module;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.InMemoryDataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.nn.train.Evaluator;

/**
 * {@code predict} on test images of the shipped Fashion-MNIST saved as PNG files: the shipped teacher names
 * the class {@code eval} gives each image, with class names and probabilities; the same teacher exported to
 * ONNX agrees when given the normalization; bad images fail with one line.
 */
class PredictCommandTest {

    private static final int IMAGES = 6;

    @TempDir
    static Path dir;

    private static Dataset test;
    private static List<Path> pngs;

    @BeforeAll
    static void writePngs() throws Exception {
        test = DataCatalog.shipped("fashion-mnist").test().load().first(IMAGES);
        pngs = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            float[] x = test.image(i);
            BufferedImage img = new BufferedImage(test.width(), test.height(), BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < test.height(); y++) {
                for (int xx = 0; xx < test.width(); xx++) {
                    img.getRaster().setSample(xx, y, 0, Math.round(x[y * test.width() + xx] * 255));
                }
            }
            Path png = dir.resolve("test" + i + ".png");
            ImageIO.write(img, "png", png.toFile());
            pngs.add(png);
        }
    }

    private static String[] args(String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        a.add("--image");
        pngs.forEach(p -> a.add(p.toString()));
        return a.toArray(String[]::new);
    }

    @SuppressWarnings("unchecked")
    private static int[] topOne(CliRun r) throws Exception {
        Map<String, Object> json = JSON.std.mapFrom(r.out());
        List<Object> predictions = (List<Object>) json.get("predictions");
        assertEquals(IMAGES, predictions.size(), r.out());
        int[] best = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            Map<String, Object> p = (Map<String, Object>) predictions.get(i);
            assertEquals(pngs.get(i).toString(), p.get("image"));
            List<Object> top = (List<Object>) p.get("top");
            assertEquals(3, top.size(), "--top 3");
            Map<String, Object> first = (Map<String, Object>) top.get(0);
            best[i] = ((Number) first.get("class")).intValue();
            assertEquals(test.classNames().get(best[i]), first.get("label"));
            double p0 = ((Number) first.get("probability")).doubleValue();
            double p1 = ((Number) ((Map<String, Object>) top.get(1)).get("probability")).doubleValue();
            assertTrue(p0 >= p1 && p0 <= 1 && p1 >= 0, p.toString());
        }
        return best;
    }

    @Test
    void theTeacherNamesWhatEvalPredicts() throws Exception {
        CliRun r = CliRun.of(args("predict", "--model", "default", "--top", "3", "--json"));
        assertEquals(0, r.code(), r.out() + r.err());
        int[] predicted = topOne(r);

        // eval's own road (the module, the weights' normalization, Evaluator) scores every image 100% when
        // predict's answers are taken as the labels
        Checkpoint.Contents c = Checkpoint.split(ModelNames.teacherWeights());
        Module net = ModelNames.create(ModelNames.TEACHER_MODEL, 1, 10);
        net.loadStateDict(c.model(), true);
        Normalize n = Normalize.parse(c.metadata().get("normalize_mean"), c.metadata().get("normalize_std"));
        byte[] pixels = new byte[IMAGES * 28 * 28];
        for (int i = 0; i < IMAGES; i++) {
            float[] x = test.image(i);
            for (int k = 0; k < x.length; k++) {
                pixels[i * x.length + k] = (byte) Math.round(x[k] * 255);
            }
        }
        Dataset labelledByPredict = new InMemoryDataset(pixels, predicted, 1, 28, 28, test.classNames());
        assertEquals(IMAGES, Evaluator.evaluate(net, labelledByPredict, n, IMAGES).correct());

        CliRun text = CliRun.of("predict", "--model", "default", "--image", pngs.get(0).toString());
        assertEquals(0, text.code(), text.err());
        String line = text.out().strip();
        assertTrue(line.startsWith(pngs.get(0) + ": " + test.classNames().get(predicted[0]) + " "), line);
        assertEquals(5, line.split("%").length - (line.endsWith("%") ? 0 : 1), "five classes by default: " + line);
    }

    @Test
    void anExportedOnnxModelAgreesGivenItsNormalization() throws Exception {
        Checkpoint.Contents c = Checkpoint.split(ModelNames.teacherWeights());
        Module net = ModelNames.create(ModelNames.TEACHER_MODEL, 1, 10);
        net.loadStateDict(c.model(), true);
        net.eval();
        Path onnx = dir.resolve("teacher.onnx");
        OnnxExporter.write(Tracer.trace(net, 1, 1, 28, 28), onnx);

        int[] teacher = topOne(CliRun.of(args("predict", "--model", "default", "--top", "3", "--json")));
        CliRun r = CliRun.of(args("predict", "--model", onnx.toString(), "--mean", c.metadata().get("normalize_mean"),
                "--std", c.metadata().get("normalize_std"), "--top", "3", "--json"));
        assertEquals(0, r.code(), r.out() + r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) ((List<Object>)
                JSON.std.mapFrom(r.out()).get("predictions")).get(0)).get("top")).get(0);
        assertEquals("class " + teacher[0], first.get("label"), "no store given: class names are unknown");
        for (int i = 0; i < IMAGES; i++) {
            assertEquals(teacher[i], ((Number) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) JSON.std.mapFrom(r.out())
                    .get("predictions")).get(i)).get("top")).get(0)).get("class")).intValue());
        }

        CliRun unknown = CliRun.of("predict", "--model", onnx.toString(), "--image", pngs.get(0).toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--store DIR") && unknown.err().contains("--mean"), unknown.err());
    }

    @Test
    void badImagesFailWithOneLine() throws Exception {
        CliRun missing = CliRun.of("predict", "--model", "default", "--image", dir.resolve("nope.png").toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().contains("--image: no such file " + dir.resolve("nope.png")), missing.err());

        Path text = dir.resolve("notes.png");
        Files.writeString(text, "not an image");
        CliRun garbage = CliRun.of("predict", "--model", "default", "--image", text.toString());
        assertEquals(1, garbage.code());
        assertEquals(1, garbage.err().lines().count(), garbage.err());
        assertTrue(garbage.err().startsWith("legodnn predict: " + text + ": javax.imageio cannot read"), garbage.err());

        CliRun top = CliRun.of("predict", "--model", "default", "--top", "0", "--image", pngs.get(0).toString());
        assertEquals(2, top.code());
    }
}
