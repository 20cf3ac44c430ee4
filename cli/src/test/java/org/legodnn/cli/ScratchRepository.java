package org.legodnn.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Maven local repository in a temporary folder that holds this build's modules as {@code mvn install} would put
 * them there — each module's {@code pom.xml} and jar under {@code group/artifact/version/}, and the parent's pom —
 * so that a project outside the reactor can depend on them by their published coordinates without anything being
 * written to the user's own local repository.
 */
final class ScratchRepository {

    private ScratchRepository() {
    }

    /**
     * Installs into {@code repository} the parent pom at {@code root} and every module jar of {@code root} that is
     * on this JVM's class path (the jars the reactor packaged in this run, {@code MODULE/target/ARTIFACT-VERSION.jar},
     * with {@code MODULE/pom.xml}). Returns the artifact ids installed besides the parent: none when this run did
     * not package the modules (the class path then names their {@code classes} folders).
     */
    static List<String> install(Path repository, Path root, String groupId, String version) throws IOException {
        List<String> installed = new ArrayList<>();
        String suffix = "-" + version + ".jar";
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath().normalize();
            String name = jar.getFileName().toString();
            if (!jar.startsWith(root) || !name.endsWith(suffix) || jar.getParent().getParent() == null) {
                continue;
            }
            Path pom = jar.getParent().getParent().resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.isRegularFile(jar)) {
                String artifactId = name.substring(0, name.length() - suffix.length());
                copy(pom, repository, groupId, artifactId, version, "pom");
                copy(jar, repository, groupId, artifactId, version, "jar");
                installed.add(artifactId);
            }
        }
        Path parentPom = root.resolve("pom.xml");
        copy(parentPom, repository, groupId, PomFile.read(parentPom).text("/project/artifactId"), version, "pom");
        return installed;
    }

    private static void copy(Path file, Path repository, String groupId, String artifactId, String version,
                             String extension) throws IOException {
        Path dir = repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
        Files.createDirectories(dir);
        Files.copy(file, dir.resolve(artifactId + "-" + version + "." + extension));
    }
}
