package org.legodnn.core.prune;

import java.util.List;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Op;
import org.legodnn.graph.analysis.ChannelGroup;
import org.legodnn.tensor.Tensor;

/**
 * Scores every channel of a channel-dependency group by a {@link PruningCriterion}, summed over the group's
 * members, so that coupled layers (the convs that feed one residual add, say) are ranked as one and keep the
 * same channels.
 */
final class ChannelScores {

    private ChannelScores() {
    }

    /** One score per channel of a group of {@code size} channels whose members are nodes of {@code g}. */
    static double[] of(Graph g, List<ChannelGroup.Member> members, int size, PruningCriterion criterion) {
        if (criterion == PruningCriterion.BN_SCALE) {
            double[] s = new double[size];
            boolean found = false;
            for (ChannelGroup.Member m : members) {
                if (m.node().op() == Op.BATCH_NORM && m.dim() == ChannelGroup.Dim.CHANNEL) {
                    found = true;
                    float[] gamma = g.initializer(m.node().input(1)).data();
                    int per = m.indices().length / size;
                    for (int k = 0; k < size; k++) {
                        for (int j = 0; j < per; j++) {
                            s[k] += Math.abs(gamma[m.indices()[k * per + j]]);
                        }
                    }
                }
            }
            if (found) {
                return s;
            }
        }
        double[] s = new double[size];
        for (ChannelGroup.Member m : members) {
            if (m.dim() != ChannelGroup.Dim.OUT) {
                continue;
            }
            Tensor w = g.initializer(m.node().input(1));
            int axis = switch (m.node().op()) {
                case CONV -> 0; // [Cout, Cin/groups, kh, kw]
                case CONV_TRANSPOSE -> 1; // [Cin, Cout, kh, kw] (ungrouped: grouped ones are never pruned)
                case GEMM -> m.node().attrs(Attrs.Gemm.class).transB() ? 0 : 1;
                default -> -1;
            };
            if (axis < 0) {
                continue;
            }
            int per = m.indices().length / size;
            for (int k = 0; k < size; k++) {
                for (int j = 0; j < per; j++) {
                    s[k] += l1(w, axis, m.indices()[k * per + j]);
                }
            }
        }
        return s;
    }

    /** The sum of absolute values of {@code t}'s slice {@code index} along {@code axis}: one filter's L1 norm. */
    static double l1(Tensor t, int axis, int index) {
        int[] shape = t.shape();
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        float[] data = t.data();
        double sum = 0;
        for (int o = 0; o < outer; o++) {
            int base = (o * shape[axis] + index) * inner;
            for (int i = 0; i < inner; i++) {
                sum += Math.abs(data[base + i]);
            }
        }
        return sum;
    }
}
