package org.legodnn.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The depth-block rule of {@link GemmMicroKernel#depthFor}: a B panel of at most 256 KB, 256 to 1024 deep. */
class GemmDepthTest {

    @Test
    void depthFollowsThePanelWidth() {
        assertEquals(1024, GemmMicroKernel.depthFor(16));   // AVX2, 4x2: a 64 KB panel
        assertEquals(1024, GemmMicroKernel.depthFor(32));   // AVX-512, 6x2: 128 KB
        assertEquals(512, GemmMicroKernel.depthFor(128));   // a wider panel than any tile today: 256 KB
        assertEquals(256, GemmMicroKernel.depthFor(1024));  // never shallower than 256
    }

    @Test
    void overrideIsCheckedAndReported() {
        String saved = System.getProperty("legodnn.gemm.kc");
        try {
            System.setProperty("legodnn.gemm.kc", " 768 ");
            assertEquals(768, GemmMicroKernel.depthForThisMachine(32));
            System.setProperty("legodnn.gemm.kc", "12");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GemmMicroKernel.depthForThisMachine(32));
            assertTrue(e.getMessage().contains("legodnn.gemm.kc='12'"), e.getMessage());
            System.clearProperty("legodnn.gemm.kc");
            assertEquals(GemmMicroKernel.depthFor(32), GemmMicroKernel.depthForThisMachine(32));
        } finally {
            if (saved == null) {
                System.clearProperty("legodnn.gemm.kc");
            } else {
                System.setProperty("legodnn.gemm.kc", saved);
            }
        }
    }
}
