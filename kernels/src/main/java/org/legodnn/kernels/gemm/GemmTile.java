package org.legodnn.kernels.gemm;

import java.util.Locale;

/**
 * The shape of {@link GemmMicroKernel}'s register tile, chosen from the machine rather than fixed, because a
 * tile that does not fit the vector registers is spilled to the stack inside the kernel's loop, which more
 * than halves its speed: the kernel keeps {@code rows × vectors} accumulators of C in registers for the whole
 * depth of a block, and each step loads {@code vectors} values of B and broadcasts {@code rows} values of A.
 *
 * <p>The rule, in two steps:
 * <ol>
 *   <li>{@link #vectorRegisters}: x86 has 16 vector registers with AVX2 and 32 with AVX-512; Java does not
 *       say which one the JIT uses, but the preferred species does: it is 512 bits wide exactly when the JIT
 *       emits AVX-512 (EVEX) code, which is also when it may use {@code zmm16–31}. ARM (NEON and SVE alike),
 *       RISC-V V, POWER VSX and s390x have at least 32; 32-bit x86 has 8. Anything else is taken to have 16.</li>
 *   <li>{@link #forRegisters}: of {@link #SHAPES}, the one with the most accumulators whose
 *       {@link #registers()} leave two registers spare. C2 loads all of a step's broadcasts and B vectors
 *       before its first FMA, so a tile needs {@code rows·vectors + rows + vectors} registers, not the
 *       {@code rows·vectors + vectors + 1} of a hand-scheduled kernel. Read off C2's code (JDK 17 and 25,
 *       x86): 6×2 (20) spills with 16 registers and 4×2 (14) does not; with 32, 6×2 does not spill, and
 *       every 24-accumulator shape (12×2, 8×3, 6×4) keeps one accumulator on the stack.</li>
 * </ol>
 * Hence 4×2 with 16 registers (AVX2) and 6×2 with 32 (AVX-512, NEON, SVE). Larger shapes that fit 32
 * registers on JDK 25 (9×2, 6×3: 18 accumulators) ran slower than 6×2 on the AVX-512 machine this was
 * measured on, whose cores issue one 512-bit FMA per cycle, so they are not offered.
 * {@code -Dlegodnn.gemm.tile=ROWSxVECTORS} (one of {@link #SHAPES}) overrides the rule, to compare shapes on
 * one machine.
 *
 * @param rows rows of C per micro-tile (the height of a packed A panel)
 * @param vectors vectors of C per row of the micro-tile (the width of a packed B panel, in vectors)
 */
public record GemmTile(int rows, int vectors) {

    /** The shapes that {@link GemmMicroKernel} implements, fewest registers first. */
    public static final GemmTile[] SHAPES = {new GemmTile(4, 2), new GemmTile(6, 2)};

    /** Registers left free beside the tile's own: C2 needs a temporary or two. */
    static final int SPARE_REGISTERS = 2;

    /** Vector registers the tile needs as C2 schedules it: its accumulators and one step's B vectors and broadcasts. */
    public int registers() {
        return rows * vectors + rows + vectors;
    }

    /**
     * How many vector registers the JIT can use for floats on {@code osArch} (the {@code os.arch} property)
     * when its preferred species is {@code vectorBits} wide. See the class comment for the rule.
     */
    public static int vectorRegisters(String osArch, int vectorBits) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return vectorBits >= 512 ? 32 : 16;
        }
        if (arch.equals("x86") || arch.matches("i[3-6]86")) {
            return 8;
        }
        if (arch.equals("aarch64") || arch.equals("arm64") || arch.startsWith("riscv64") || arch.startsWith("ppc64")
                || arch.equals("s390x")) {
            return 32;
        }
        return 16;
    }

    /**
     * The shape of {@link #SHAPES} with the most accumulators that fits {@code registers} with
     * {@link #SPARE_REGISTERS} to spare (the smallest shape if none fits).
     */
    public static GemmTile forRegisters(int registers) {
        GemmTile best = SHAPES[0];
        for (GemmTile s : SHAPES) {
            int acc = s.rows * s.vectors;
            if (s.registers() + SPARE_REGISTERS <= registers && acc > best.rows * best.vectors) {
                best = s;
            }
        }
        return best;
    }

    /** Parses {@code "6x2"} into one of {@link #SHAPES}. */
    public static GemmTile parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        if (parts.length == 2) {
            try {
                GemmTile t = new GemmTile(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                for (GemmTile s : SHAPES) {
                    if (s.equals(t)) {
                        return s;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        StringBuilder known = new StringBuilder();
        for (GemmTile s : SHAPES) {
            known.append(known.length() == 0 ? "" : ", ").append(s);
        }
        throw new IllegalArgumentException("GEMM tile '" + text + "': expected one of " + known);
    }

    /**
     * The tile for this JVM: {@code -Dlegodnn.gemm.tile} if set, else the rule applied to {@code os.arch} and
     * {@code vectorBits}, the width of the preferred species.
     */
    static GemmTile forThisMachine(int vectorBits) {
        String forced = System.getProperty("legodnn.gemm.tile");
        if (forced != null && !forced.isBlank()) {
            return parse(forced);
        }
        return forRegisters(vectorRegisters(System.getProperty("os.arch", ""), vectorBits));
    }

    @Override
    public String toString() {
        return rows + "x" + vectors;
    }
}
