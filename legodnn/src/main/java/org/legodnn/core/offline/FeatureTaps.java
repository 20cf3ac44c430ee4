package org.legodnn.core.offline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.core.blocks.Block;
import org.legodnn.graph.Graph;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.Interpreter;
import org.legodnn.tensor.Tensor;

/**
 * Reads every block's input and output out of one teacher forward pass, which is what retraining fits the
 * descendants to: the teacher graph is run once (eval mode, no gradients) with every block's boundary values
 * made graph outputs, so one pass per batch feeds all blocks.
 */
public final class FeatureTaps {

    /** One block's teacher features for a batch. */
    public record Pair(Tensor input, Tensor output) {
    }

    private final List<Block> blocks;
    private final Interpreter interpreter;
    private final String input;

    /** Taps {@code blocks} of {@code teacher} (its batch dimension is opened, any batch size works). */
    public FeatureTaps(Graph teacher, List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
        Set<String> outs = new LinkedHashSet<>();
        for (Block b : blocks) {
            outs.add(b.inputValue());
            outs.add(b.outputValue());
        }
        ValueInfo in = teacher.inputs().get(0);
        int[] open = in.shape();
        open[0] = -1;
        Graph g = new Graph(teacher.name() + ".taps", teacher.inputs(), new ArrayList<>(outs),
                teacher.initializers(), teacher.nodes());
        this.interpreter = new Interpreter(g.withInputShapes(Map.of(in.name(), open)));
        this.input = in.name();
    }

    /** Per block (in order), its input and the teacher's output for the batch {@code x}. */
    public List<Pair> capture(Tensor x) {
        Map<String, Tensor> values = interpreter.run(Map.of(input, x));
        List<Pair> out = new ArrayList<>(blocks.size());
        for (Block b : blocks) {
            out.add(new Pair(values.get(b.inputValue()), values.get(b.outputValue())));
        }
        return out;
    }
}
