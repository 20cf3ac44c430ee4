package org.legodnn.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assertions;

/**
 * Where the tests find PyTorch's and the original LegoDNN's numbers, so that a fresh clone tests itself: the small
 * files live in the repository's {@code testdata/} (see its README), and only the three large torchvision models
 * (77 MB, not in git) come from outside, from the directory that {@code -Dlegodnn.reference} or the environment
 * variable {@code LEGODNN_REFERENCE} names (a copy of the project's shared {@code reference/} folder).
 *
 * <p>A test that needs a large model and finds none prints one line saying so and is skipped, unless
 * {@code LEGODNN_REQUIRE_REFERENCE=1} (CI), where it fails ({@link Prerequisite}).
 */
public final class ReferenceData {

    /** The reference models too large for git; every other model is in {@code testdata/pytorch/models}. */
    public static final Set<String> LARGE_MODELS = Set.of("resnet18", "mobilenet_v2", "resnext_tiny");

    private static final String PROPERTY = "legodnn.reference";
    private static final String ENV = "LEGODNN_REFERENCE";
    private static final String REQUIRE_ENV = "LEGODNN_REQUIRE_REFERENCE";

    private ReferenceData() {
    }

    /** The repository's {@code testdata/}: found from the working directory upwards (a module or the root). */
    public static Path testdata() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("testdata");
            if (Files.isRegularFile(candidate.resolve("pytorch").resolve("MANIFEST.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no testdata/pytorch/MANIFEST.json in " + dir + " or any folder above it;"
                + " run the tests from the repository");
    }

    /** {@code testdata/pytorch}: PyTorch's op, optimizer, training and small-model cases. */
    public static Path pytorch() {
        return testdata().resolve("pytorch");
    }

    /** {@code testdata/legodnn-resnet18-cifar100}: the five profile files of the original LegoDNN. */
    public static Path originalLegoDnn() {
        return testdata().resolve("legodnn-resnet18-cifar100");
    }

    /**
     * The folder of reference model {@code name} ({@code model.onnx}, {@code io.safetensors}, …). A large model
     * comes from the configured reference folder; without one, the calling test is skipped with one printed line
     * (or fails, when {@code LEGODNN_REQUIRE_REFERENCE=1}).
     */
    public static Path model(String name) {
        if (!LARGE_MODELS.contains(name)) {
            return pytorch().resolve("models").resolve(name);
        }
        Optional<Path> root = configuredRoot();
        Prerequisite.check(REQUIRE_ENV, root.isPresent() ? null : "needs PyTorch's " + name + " reference model (not in"
                + " git); set -D" + PROPERTY + "=DIR or " + ENV + "=DIR to a copy of the shared reference folder");
        Path dir = root.orElseThrow().resolve("pytorch").resolve("models").resolve(name);
        if (!Files.isRegularFile(dir.resolve("model.onnx"))) {
            Assertions.fail(PROPERTY + "/" + ENV + " is " + root.get() + ", which has no pytorch/models/" + name
                    + "/model.onnx (expected a copy of the shared reference folder)");
        }
        return dir;
    }

    private static Optional<Path> configuredRoot() {
        String value = System.getProperty(PROPERTY, "");
        if (value.isBlank()) {
            value = Optional.ofNullable(System.getenv(ENV)).orElse("");
        }
        if (value.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        return Optional.of(path.isAbsolute() ? path : testdata().getParent().resolve(path).normalize());
    }
}
