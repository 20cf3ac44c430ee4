package org.legodnn.graph.exec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.quant.QuantizedConvs;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.conv.PackedConv;
import org.legodnn.kernels.conv.PreparedConv;
import org.legodnn.kernels.quant.Int8Conv;
import org.legodnn.tensor.Tensor;

/**
 * The CPU as an {@link ExecutionDevice}: the SIMD kernels ({@link Backends#cpu()}), or the scalar references
 * where the Vector API is absent ({@link Backends#scalar()}). On the SIMD device every convolution's weights are
 * packed once for the matrix kernel with its epilogue set ({@link PackedConv}); on request ({@link #INT8_KERNELS})
 * the int8 convolutions of a QDQ model ({@link QuantizedConvs}) run in integers on both ({@link Int8Conv}); plans
 * run on float arrays
 * ({@link InferencePlan}), their steps made by {@link PlanSteps}.
 */
public final class CpuExecution implements ExecutionDevice {

    /** One device per backend, so that graphs compiled apart can be joined. */
    private static final Map<Backend, CpuExecution> DEVICES = new ConcurrentHashMap<>();

    /** The system property that turns the int8 kernels on ({@code true}) for QDQ convolutions. */
    public static final String INT8_KERNELS = "legodnn.int8Kernels";

    private final Backend cpu;

    private CpuExecution(Backend cpu) {
        this.cpu = cpu;
    }

    /** The CPU device that the ops use now ({@link Backends#current()}). */
    public static CpuExecution current() {
        return of(Backends.current());
    }

    /** The CPU device of {@code backend}. */
    public static CpuExecution of(Backend backend) {
        return DEVICES.computeIfAbsent(backend, CpuExecution::new);
    }

    @Override
    public String name() {
        return cpu.name();
    }

    @Override
    public Prepared prepare(Graph lowered, List<FusedNode> steps) {
        return prepare(lowered, steps, Map.of());
    }

    /**
     * Off by default: on the Vector API an int8 multiply-add costs what a float one does at best (there is no
     * int8 dot-product instruction to reach; BENCHMARKS.md, "Int8 execution"), so a QDQ model runs faster on its
     * dequantized weights, with its activations rounded by the vectorized quantize-dequantize. The int8 kernels,
     * exact in their sums and holding one byte per weight, run with {@code -Dlegodnn.int8Kernels=true}.
     */
    @Override
    public boolean runsInt8Convs() {
        return Boolean.parseBoolean(System.getProperty(INT8_KERNELS, "false").trim());
    }

    @Override
    public Prepared prepare(Graph lowered, List<FusedNode> steps, Map<String, QuantizedConvs.QuantizedConv> int8) {
        Map<String, PreparedConv> convs = new HashMap<>();
        for (FusedNode s : steps) {
            QuantizedConvs.QuantizedConv q = int8.get(s.node().name());
            PreparedConv pc = q != null ? int8(lowered, s, q) : cpu.vectorized() ? pack(lowered, s) : null;
            if (pc != null) {
                convs.put(s.node().name(), pc);
            }
        }
        return new Packed(convs);
    }

    @Override
    public Prepared join(List<Prepared> pieces) {
        Map<String, PreparedConv> convs = new HashMap<>();
        for (Prepared p : pieces) {
            if (!(p instanceof Packed packed) || packed.owner() != this) {
                throw new IllegalArgumentException("CompiledGraph.join: a piece was not compiled for " + name());
            }
            convs.putAll(packed.convs);
        }
        return new Packed(convs);
    }

    /** The packed convolutions of one compiled graph, by node name. */
    private final class Packed implements Prepared {
        private final Map<String, PreparedConv> convs;

        Packed(Map<String, PreparedConv> convs) {
            this.convs = convs;
        }

        CpuExecution owner() {
            return CpuExecution.this;
        }

        @Override
        public Plan plan(BufferPlan buffers) {
            return InferencePlan.build(cpu, buffers, convs);
        }

        @Override
        public void close() {
            // Arrays on the heap: nothing to free.
        }
    }

    /**
     * The int8 kernel of a QDQ convolution, with the folded bias, its output's requantization and the fused
     * residual and clamp (SIMD or scalar, as the device).
     */
    private Int8Conv int8(Graph g, FusedNode s, QuantizedConvs.QuantizedConv q) {
        Node n = s.node();
        int[] w = g.shape(n.input(1));
        String biasName = n.input(2);
        float[] bias = biasName == null || biasName.isEmpty() ? null : g.initializer(biasName).data();
        return Int8Conv.of(q.weight(), w[0], w[1], w[2], w[3], q.weightScales(), q.activation(), bias, q.output(),
                s.clampMin(), s.clampMax(), cpu.vectorized());
    }

    /** The prepared kernel of a convolution whose weight and bias are initializers; null otherwise. */
    private static PackedConv pack(Graph g, FusedNode s) {
        Node n = s.node();
        if (n.op() != Op.CONV || !g.isInitializer(n.input(1))) {
            return null;
        }
        String biasName = n.input(2);
        boolean hasBias = biasName != null && !biasName.isEmpty();
        if (hasBias && !g.isInitializer(biasName)) {
            return null;
        }
        Tensor w = g.initializer(n.input(1));
        if (w.rank() != 4) {
            return null;
        }
        Attrs.Conv a = n.attrs(Attrs.Conv.class);
        return PackedConv.of(w.data(), w.dim(0), w.dim(1), w.dim(2), w.dim(3), a.groups(),
                hasBias ? g.initializer(biasName).data() : null, s.clampMin(), s.clampMax());
    }
}
