package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.legodnn.LegoDnn;
import org.legodnn.core.online.LegoDnnRuntime;
import org.legodnn.graph.Graph;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.Prerequisite;
import org.legodnn.testing.ReferenceData;

/**
 * The README's "Use it as a library" example works for a user: copied into a fresh Maven project that depends on the
 * installed {@code legodnn-core}, it compiles and runs, on PyTorch's CIFAR ResNet-20 (gray) and on a block store that
 * {@code legodnn offline} writes for a tiny teacher. {@link #example} holds the same statements, so that a change of
 * the API also breaks the compilation of this test, in every build, not only in {@code mvn verify}.
 */
class ReadmeLibraryExampleTest {

    private static final String START = "// readme-example-start";
    private static final String END = "// readme-example-end";
    /** Set to 1 (CI), a run where the fresh project cannot be built (no mvn, no packaged jars) fails. */
    private static final String REQUIRE_ENV = "LEGODNN_REQUIRE_MAVEN";
    /** The plugins the fresh project's {@code mvn package} runs, at the versions the parent pom pins. */
    private static final List<String> PLUGINS = List.of("maven-resources-plugin", "maven-compiler-plugin",
            "maven-surefire-plugin", "maven-jar-plugin");

    static Tensor[] example(Path modelFile, Path storeDir, Tensor images) throws IOException {
        // readme-example-start
        // Any ONNX model (opsets 11-18), compiled once: BatchNorm folded, epilogues fused, weights packed.
        Graph graph = OnnxImporter.read(modelFile);
        CompiledGraph model = CompiledGraph.compile(graph);
        Tensor logits = model.run(images);

        // A block store written by `legodnn offline`: serve the most accurate composition within a budget.
        LegoDnnRuntime lego = LegoDnn.open(storeDir);
        lego.update(2.0, 4 << 20);             // latency in ms, memory in bytes
        Tensor scaled = lego.infer(images);    // thread-safe, also while update() swaps blocks
        // readme-example-end
        return new Tensor[] {logits, scaled};
    }

    @Test
    void readmeShowsTheExample() throws IOException {
        Path root = ReferenceData.testdata().getParent();
        List<String> source = Files.readAllLines(root.resolve(
                "cli/src/test/java/org/legodnn/cli/ReadmeLibraryExampleTest.java"));
        int from = source.indexOf("        " + START);
        int to = source.indexOf("        " + END);
        assertTrue(from > 0 && to > from, "markers in this file");
        StringBuilder body = new StringBuilder();
        for (String line : source.subList(from + 1, to)) {
            body.append(line.length() >= 8 ? line.substring(8) : line.strip()).append('\n');
        }
        ReadmeJavaBlock readme = ReadmeJavaBlock.read(root.resolve("README.md"));
        assertEquals(body.toString(), readme.body(), "README.md's library example differs from this test's copy");
        assertTrue(source.containsAll(readme.imports()), "README.md imports " + readme.imports()
                + ", which this test, compiling the same statements, does not all import");
    }

    @Test
    void exampleRuns(@TempDir Path tmp) throws Exception {
        Path store = TinyStore.build(tmp);
        Path model = ReferenceData.model("cifar_resnet20_gray");
        Tensor images = Tensor.randn(new Random(5), 2, 1, 28, 28);
        Tensor[] out = example(model.resolve("model.onnx"), store, images);
        assertArrayEquals(new int[] {2, 10}, out[0].shape());
        assertArrayEquals(new int[] {2, 10}, out[1].shape());
    }

    /**
     * This build's module jars installed into a scratch local repository, the README's example as the body of a
     * program in a new project whose {@code pom.xml} depends on {@code org.legodnn:legodnn-core}, {@code mvn -o
     * package} on it, and the program run with {@code java -jar}: what a user who follows the README does.
     */
    @Test
    void compilesAndRunsInAFreshMavenProject(@TempDir Path tmp) throws Exception {
        Path root = ReferenceData.testdata().getParent().toAbsolutePath().normalize();
        String version = VersionCommand.projectVersion();
        Optional<Path> mvn = MavenProcess.find();
        Prerequisite.check(REQUIRE_ENV, mvn.isPresent() ? null
                : "needs mvn (from -Dmaven.home, MAVEN_HOME or the PATH) to build a fresh project");
        Path repository = tmp.resolve("repository");
        List<String> installed = ScratchRepository.install(repository, root, "org.legodnn", version);
        Prerequisite.check(REQUIRE_ENV, installed.contains("legodnn-core") ? null : "needs the module jars that"
                + " `mvn verify` packages (this run put their classes folders on the class path)");

        Path project = tmp.resolve("project");
        PomFile parent = PomFile.read(root.resolve("pom.xml"));
        String pom = template("pom.xml.template").replace("@legodnn.version@", version);
        for (String plugin : PLUGINS) {
            pom = pom.replace("@" + plugin + "@", parent.pinnedPluginVersion(plugin));
        }
        Files.createDirectories(project);
        Files.writeString(project.resolve("pom.xml"), pom);
        Path sources = Files.createDirectories(project.resolve("src/main/java/example"));
        ReadmeJavaBlock example = ReadmeJavaBlock.read(root.resolve("README.md"));
        Files.writeString(sources.resolve("ReadmeExample.java"), example.fill(template("ReadmeExample.java.template"), 8));

        MavenProcess maven = MavenProcess.offline(mvn.orElseThrow(), tmp.resolve("settings.xml"), repository);
        ChildProcess build = maven.run(project, tmp.resolve("mvn.log"), Duration.ofMinutes(5), "package");
        assertEquals(0, build.code(), build.describe("mvn -o package on the README's example (installed: " + installed + ")"));

        Path store = TinyStore.build(tmp);
        Path model = ReferenceData.model("cifar_resnet20_gray").resolve("model.onnx");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ChildProcess run = ChildProcess.run(List.of(java.toString(), "--add-modules=jdk.incubator.vector", "-jar",
                        project.resolve("target/readme-example.jar").toString(), model.toString(), store.toString()),
                project, Map.of(), tmp.resolve("run.log"), Duration.ofMinutes(2));
        assertEquals(0, run.code(), run.describe("java -jar readme-example.jar"));
        assertTrue(run.output().contains("logits [2, 10], scaled [2, 10]"), run.output());
    }

    private static String template(String name) throws IOException {
        try (InputStream in = ReadmeLibraryExampleTest.class.getResourceAsStream("readme-example/" + name)) {
            if (in == null) {
                throw new IOException("no test resource readme-example/" + name + " beside " + ReadmeLibraryExampleTest.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
