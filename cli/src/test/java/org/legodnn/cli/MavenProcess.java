package org.legodnn.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code mvn} run from a test as a user runs it on a project of their own, offline ({@code -o}), with a scratch
 * local repository: whatever else the build needs (plugins, third-party jars) comes from the local repository of the
 * Maven that runs the tests, through a {@code file:} mirror that offline Maven may read
 * ({@code -Daether.offline.protocols=file}). Nothing is downloaded and that repository is only read from.
 *
 * @param mvn        the {@code mvn} launcher
 * @param settings   the settings file with the mirror
 * @param repository the scratch local repository
 */
record MavenProcess(Path mvn, Path settings, Path repository) {

    private static final String CENTRAL = "<id>central</id><url>https://repo.maven.apache.org/maven2</url>"
            + "<releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots>";

    /**
     * The {@code mvn} of the Maven that runs the tests ({@code -Dmaven.home}, which the cli module's surefire passes
     * on), else of {@code MAVEN_HOME}, else the first on the {@code PATH}.
     */
    static Optional<Path> find() {
        String launcher = System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn";
        Stream<String> homes = Stream.of(System.getProperty("maven.home"), System.getenv("MAVEN_HOME"));
        Stream<Path> fromHomes = homes.filter(h -> h != null && !h.isBlank()).map(h -> Path.of(h, "bin", launcher));
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        Stream<Path> fromPath = Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isBlank())
                .map(d -> Path.of(d, launcher));
        return Stream.concat(fromHomes, fromPath).filter(Files::isExecutable).findFirst();
    }

    /**
     * The local repository of the Maven that runs the tests ({@code -Dlegodnn.localRepository}, which the cli
     * module's surefire passes on), else {@code ~/.m2/repository}.
     */
    static Path buildRepository() {
        String configured = System.getProperty("legodnn.localRepository", "");
        return configured.isBlank() ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(configured);
    }

    /** Writes {@code settings} (a mirror of every repository onto {@link #buildRepository()}) for {@code mvn}. */
    static MavenProcess offline(Path mvn, Path settings, Path repository) throws IOException {
        Files.writeString(settings, """
                <settings>
                  <!-- Whatever is not in the scratch local repository comes from the build's local repository. -->
                  <mirrors>
                    <mirror>
                      <id>build-local-repository</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                  <!-- A local repository keeps no checksums: without this, every file read from it logs a warning
                       and a stack trace. The mirror takes the policy of central, which it replaces. -->
                  <profiles>
                    <profile>
                      <id>no-checksums</id>
                      <repositories>
                        <repository>%s</repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository>%s</pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles>
                    <activeProfile>no-checksums</activeProfile>
                  </activeProfiles>
                </settings>
                """.formatted(buildRepository().toUri(), CENTRAL, CENTRAL));
        return new MavenProcess(mvn, settings, repository);
    }

    /**
     * Runs {@code mvn -B -ntp -o … GOALS} on the project in {@code project} with the JDK that runs this test; output to
     * {@code log}.
     */
    ChildProcess run(Path project, Path log, Duration limit, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-ntp", "-o", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository, "-Daether.offline.protocols=file"));
        command.addAll(List.of(goals));
        return ChildProcess.run(command, project, Map.of("JAVA_HOME", System.getProperty("java.home")), log, limit);
    }
}
