package org.legodnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsCommands() {
        CliRun r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("selftest") && r.out().contains("version"), r.out());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"version", "selftest"}) {
            CliRun r = run(command, "--help");
            assertEquals(0, r.code(), command);
            assertTrue(r.out().contains("Usage: legodnn " + command), r.out());
        }
    }

    @Test
    void versionNamesTheSimdWidth() {
        CliRun r = run("version");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("simd ") && r.out().contains("float lanes"), r.out());
    }

    @Test
    void badUsageExitsWithTwo() {
        CliRun r = run("no-such-command");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no-such-command"), r.err());
    }

    @Test
    void selftestPasses() {
        CliRun r = run("selftest", "--seed", "7");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("model cifar_resnet20 vs PyTorch"), r.out());
    }
}
