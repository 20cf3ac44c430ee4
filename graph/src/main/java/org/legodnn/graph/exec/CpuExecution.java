package org.legodnn.graph.exec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.transform.FusedNode;
import org.legodnn.kernels.Backend;
import org.legodnn.kernels.Backends;
import org.legodnn.kernels.conv.PackedConv;
import org.legodnn.tensor.Tensor;

/**
 * The CPU as an {@link ExecutionDevice}: the SIMD kernels ({@link Backends#cpu()}), or the scalar references
 * where the Vector API is absent ({@link Backends#scalar()}). On the SIMD device every convolution's weights are
 * packed once for the matrix kernel with its epilogue set ({@link PackedConv}); plans run on float arrays
 * ({@link InferencePlan}), their steps made by {@link PlanSteps}.
 */
public final class CpuExecution implements ExecutionDevice {

    /** One device per backend, so that graphs compiled apart can be joined. */
    private static final Map<Backend, CpuExecution> DEVICES = new ConcurrentHashMap<>();

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
        Map<String, PackedConv> convs = new HashMap<>();
        for (FusedNode s : cpu.vectorized() ? steps : List.<FusedNode>of()) {
            PackedConv pc = pack(lowered, s);
            if (pc != null) {
                convs.put(s.node().name(), pc);
            }
        }
        return new Packed(convs);
    }

    @Override
    public Prepared join(List<Prepared> pieces) {
        Map<String, PackedConv> convs = new HashMap<>();
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
        private final Map<String, PackedConv> convs;

        Packed(Map<String, PackedConv> convs) {
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
