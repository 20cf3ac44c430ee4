package org.legodnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.Simd;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** Prints the version and what the engine found on this machine (JVM, SIMD width, threads). */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print the version, the JVM and the SIMD width the kernels use.")
public final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : lines()) {
            System.out.println(line);
        }
    }

    static String[] lines() {
        return new String[] {
            "legodnn " + projectVersion(),
            "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                    + System.getProperty("os.arch") + ")",
            "simd " + Simd.describe(),
            "threads " + Parallel.threads(),
        };
    }

    static String projectVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** Feeds {@code legodnn --version}. */
    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
