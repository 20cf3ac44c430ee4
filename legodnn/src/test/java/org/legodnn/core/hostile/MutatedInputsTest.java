package org.legodnn.core.hostile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.core.optimize.OriginalProfiles;
import org.legodnn.testing.ReferenceData;

/**
 * The property behind the crafted corpus, on random corruptions of the shipped valid files (the small PyTorch
 * models and tensors in {@code testdata/}, the original LegoDNN's profiles, IDX, CIFAR and image files): whatever
 * a corruption does, reading the result either succeeds or fails with the reader's documented exception in one
 * line naming the file — never another exception, an Error, a hang or an allocation of what a corrupt header
 * announces. The corruptions are generated from fixed seeds ({@link Mutator}), so a failure reproduces.
 */
class MutatedInputsTest {

    private static final long SEED = 17;

    @TempDir
    Path work;

    @TestFactory
    List<DynamicTest> corruptionsOfValidFilesNeverEscapeTheReaders() throws IOException {
        Path pytorch = ReferenceData.pytorch();
        List<DynamicTest> tests = new ArrayList<>();
        for (String op : new String[] {"relu", "linear", "cross_entropy_mean"}) {
            mutants(tests, Readers.SAFETENSORS, op + ".safetensors", Files.readAllBytes(pytorch.resolve("ops/" + op + ".safetensors")), 25, false);
        }
        mutants(tests, Readers.CHECKPOINT, "state_dict.safetensors",
                Files.readAllBytes(pytorch.resolve("models/cifar_resnet20_gray/state_dict.safetensors")), 15, false);
        mutants(tests, Readers.ONNX, "model.onnx", Files.readAllBytes(pytorch.resolve("models/cifar_resnet20_gray/model.onnx")), 40, false);
        byte[] images = idxImages(6, 5, 4);
        mutants(tests, Readers.IDX, "images-idx3-ubyte", images, 20, false);
        mutants(tests, Readers.IDX, "images-idx3-ubyte.gz", gzip(images), 20, false);
        mutants(tests, Readers.CIFAR, "data_batch.bin", cifar(2), 15, false);
        for (String name : OriginalProfiles.FILES) {
            mutants(tests, Readers.PROFILES, name, Files.readAllBytes(ReferenceData.originalLegoDnn().resolve(name)), 15, true);
        }
        mutants(tests, Readers.IMAGES, "a.png", png(), 20, false);
        assertTrue(tests.size() >= 250, tests.size() + " mutants");
        return tests;
    }

    /** {@code count} corruptions of {@code valid}, each read by {@code reader} from a file named {@code name}. */
    private void mutants(List<DynamicTest> tests, Readers reader, String name, byte[] valid, int count, boolean text) {
        for (int k = 0; k < count; k++) {
            int n = k;
            tests.add(DynamicTest.dynamicTest(reader + " " + name + " corruption " + k, () -> {
                byte[] bad = text ? Mutator.text(valid, SEED + name.hashCode(), n) : Mutator.binary(valid, SEED + name.hashCode(), n);
                Path input = place(reader, name, n, bad);
                Attempt a = Attempt.run(reader, input);
                a.checkContained(reader, input);
                if (a.thrown() != null) {
                    String m = a.thrown().getMessage();
                    assertTrue(m.contains(input.getFileName().toString()), reader + " on " + input
                            + ": the message does not name the input: " + m);
                }
            }));
        }
    }

    /** Writes a corrupted file where {@code reader} reads it: a file, or the folder holding it. */
    private Path place(Readers reader, String name, int k, byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(work.resolve("corruption-" + k + "-of-" + name.replace('.', '_')));
        switch (reader) {
            case PROFILES -> {
                for (String f : OriginalProfiles.FILES) {
                    Files.copy(ReferenceData.originalLegoDnn().resolve(f), dir.resolve(f));
                }
                Files.write(dir.resolve(name), bytes);
                return dir;
            }
            case IMAGES -> {
                Files.write(Files.createDirectories(dir.resolve("cat")).resolve(name), bytes);
                Files.write(Files.createDirectories(dir.resolve("dog")).resolve("b.png"), png());
                return dir;
            }
            default -> {
                Path f = dir.resolve(name);
                Files.write(f, bytes);
                return f;
            }
        }
    }

    static byte[] idxImages(int n, int h, int w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(n);
        out.writeInt(h);
        out.writeInt(w);
        for (int i = 0; i < n * h * w; i++) {
            out.writeByte(i * 37);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        }
        return bytes.toByteArray();
    }

    static byte[] cifar(int records) {
        byte[] b = new byte[records * 3073];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i % 3073 == 0 ? i / 3073 % 10 : i * 13);
        }
        return b;
    }

    static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 16; i++) {
            img.setRGB(i % 4, i / 4, i * 0x0f0f0f);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
