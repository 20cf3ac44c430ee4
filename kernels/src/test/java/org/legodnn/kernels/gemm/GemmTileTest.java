package org.legodnn.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The register-tile rule of {@link GemmTile}: registers per architecture and width, shape per register count. */
class GemmTileTest {

    @Test
    void x86RegistersFollowTheVectorWidth() {
        assertEquals(16, GemmTile.vectorRegisters("amd64", 256));   // AVX2, or AVX-512 held to 256 bits
        assertEquals(16, GemmTile.vectorRegisters("x86_64", 128));
        assertEquals(32, GemmTile.vectorRegisters("amd64", 512));   // AVX-512: zmm0-31
        assertEquals(8, GemmTile.vectorRegisters("i386", 128));
    }

    @Test
    void otherArchitecturesHaveThirtyTwoWhateverTheWidth() {
        assertEquals(32, GemmTile.vectorRegisters("aarch64", 128));  // NEON
        assertEquals(32, GemmTile.vectorRegisters("aarch64", 512));  // SVE
        assertEquals(32, GemmTile.vectorRegisters("riscv64", 256));
        assertEquals(32, GemmTile.vectorRegisters("ppc64le", 128));
        assertEquals(16, GemmTile.vectorRegisters("mips64el", 128)); // unknown: the cautious count
    }

    @Test
    void tileNeedsAccumulatorsPlusOneStepOfOperands() {
        assertEquals(14, new GemmTile(4, 2).registers());
        assertEquals(20, new GemmTile(6, 2).registers());
    }

    @Test
    void shapePerRegisterCount() {
        assertEquals(new GemmTile(4, 2), GemmTile.forRegisters(16));
        assertEquals(new GemmTile(6, 2), GemmTile.forRegisters(32));
        assertEquals(new GemmTile(4, 2), GemmTile.forRegisters(8));  // nothing fits: the smallest
        assertEquals(new GemmTile(6, 2), GemmTile.forRegisters(22)); // 20 + 2 spare
        assertEquals(new GemmTile(4, 2), GemmTile.forRegisters(21));
    }

    @Test
    void chosenShapeAlwaysLeavesTheSpareRegisters() {
        for (int registers = 16; registers <= 64; registers++) {
            GemmTile t = GemmTile.forRegisters(registers);
            assertTrue(t.registers() + GemmTile.SPARE_REGISTERS <= registers, registers + " registers: " + t);
        }
    }

    @Test
    void parsesOnlyImplementedShapes() {
        assertSame(GemmTile.SHAPES[1], GemmTile.parse(" 6X2 "));
        assertEquals("4x2", GemmTile.parse("4x2").toString());
        assertThrows(IllegalArgumentException.class, () -> GemmTile.parse("12x2"));
        assertThrows(IllegalArgumentException.class, () -> GemmTile.parse("6"));
        assertThrows(IllegalArgumentException.class, () -> GemmTile.parse("ax2"));
    }

    @Test
    void kernelConstantsMatchTheTile() {
        String forced = System.getProperty("legodnn.gemm.tile"); // the kernels module's other-tile test run
        if (forced != null && !forced.isBlank()) {
            assertEquals(GemmTile.parse(forced), GemmMicroKernel.TILE);
        }
        assertEquals(GemmMicroKernel.TILE.rows(), GemmMicroKernel.MR);
        assertEquals(0, GemmMicroKernel.NR % GemmMicroKernel.L);
        assertEquals(GemmMicroKernel.TILE.vectors(), GemmMicroKernel.NR / GemmMicroKernel.L);
    }
}
