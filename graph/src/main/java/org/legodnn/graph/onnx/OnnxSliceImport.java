package org.legodnn.graph.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.legodnn.graph.Attrs;
import org.legodnn.graph.Node;
import org.legodnn.graph.Op;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;

/**
 * Lowers ONNX Slice and Split onto the engine's single-axis {@link Op#SLICE}, because every node of the engine
 * has one output and one axis: a Slice over several axes becomes a chain of slices, a Split one slice per output.
 * Their settings must be constants (the inputs of opset 10+ Slice and 13+ Split, or the attributes of opset-11
 * Split, or opset 18's {@code num_outputs}); negative steps (reversal) are refused, naming the node.
 */
final class OnnxSliceImport {

    private final NodeProto proto;
    private final OnnxNodeImport.Context ctx;
    private final OnnxAttributes attrs;
    private final String name;
    private final String modulePath;

    OnnxSliceImport(NodeProto proto, OnnxNodeImport.Context ctx, OnnxAttributes attrs, String name, String modulePath) {
        this.proto = proto;
        this.ctx = ctx;
        this.attrs = attrs;
        this.name = name;
        this.modulePath = modulePath;
    }

    /** Slice(data, starts, ends[, axes[, steps]]): one node per axis, chained, the last writing the output. */
    List<Node> slice() {
        attrs.allowOnly(Set.of());
        String x = data(5);
        if (proto.getOutputCount() != 1 || proto.getOutput(0).isEmpty()) {
            throw attrs.error("expected one output, got " + proto.getOutputCount());
        }
        long[] starts = constant(1, "starts", true);
        long[] ends = constant(2, "ends", true);
        int rank = rank(x);
        long[] axes = constant(3, "axes", false);
        long[] steps = constant(4, "steps", false);
        if (axes == null) {
            axes = new long[starts.length];
            Arrays.setAll(axes, k -> k);
        }
        if (steps == null) {
            steps = new long[starts.length];
            Arrays.fill(steps, 1);
        }
        if (ends.length != starts.length || axes.length != starts.length || steps.length != starts.length) {
            throw attrs.error("starts, ends, axes and steps have " + starts.length + ", " + ends.length + ", "
                    + axes.length + " and " + steps.length + " values; they must have as many");
        }
        String out = proto.getOutput(0);
        if (starts.length == 0) {
            return List.of(Node.of(name, Op.IDENTITY, Attrs.None.INSTANCE, List.of(x), List.of(out), modulePath));
        }
        boolean[] seen = new boolean[rank];
        List<Node> nodes = new ArrayList<>();
        String value = x;
        for (int k = 0; k < starts.length; k++) {
            int axis = axis(axes[k], rank);
            if (seen[axis]) {
                throw attrs.error("axes " + Arrays.toString(axes) + " repeat axis " + axis);
            }
            seen[axis] = true;
            if (steps[k] < 1) {
                throw attrs.error("step " + steps[k] + " on axis " + axis + " is not supported (only positive steps are)");
            }
            Attrs.Slice a = new Attrs.Slice(axis, saturate(starts[k]), saturate(ends[k]), saturate(steps[k]));
            boolean last = k == starts.length - 1;
            String next = last ? out : out + "/axis" + axis;
            nodes.add(Node.of(starts.length == 1 ? name : name + "/axis" + axis, Op.SLICE, a, List.of(value),
                    List.of(next), modulePath));
            value = next;
        }
        return nodes;
    }

    /** Split(data[, split]) along {@code axis}: one slice per named output. */
    List<Node> split() {
        attrs.allowOnly(ctx.opset() >= 18 ? Set.of("axis", "num_outputs") : ctx.opset() >= 13 ? Set.of("axis")
                : Set.of("axis", "split"));
        String x = data(2);
        int rank = rank(x);
        int axis = axis(attrs.i("axis", 0), rank);
        int outputs = proto.getOutputCount();
        if (outputs < 1) {
            throw attrs.error("node has no output");
        }
        long[] sizes = ctx.opset() >= 13 ? constant(1, "split", false) : attrs.ints("split");
        int dim = ctx.shape(x)[axis];
        if (sizes == null) {
            sizes = equalParts(axis, dim, outputs);
        }
        if (sizes.length != outputs) {
            throw attrs.error("split " + Arrays.toString(sizes) + " has " + sizes.length + " sizes for " + outputs
                    + " outputs");
        }
        long total = 0;
        for (long s : sizes) {
            if (s < 0 || s > Integer.MAX_VALUE) {
                throw attrs.error("split " + Arrays.toString(sizes) + " has a size outside 0.." + Integer.MAX_VALUE);
            }
            total += s;
        }
        if (axis > 0 && total != dim) { // the batch axis may be open; its size is known only at run time
            throw attrs.error("split " + Arrays.toString(sizes) + " adds up to " + total + ", but axis " + axis
                    + " has " + dim);
        }
        List<Node> nodes = new ArrayList<>();
        int from = 0;
        for (int k = 0; k < outputs; k++) {
            int to = from + (int) sizes[k];
            String out = proto.getOutput(k);
            if (!out.isEmpty()) {
                nodes.add(Node.of(name + "/" + k, Op.SLICE, new Attrs.Slice(axis, from, to, 1), List.of(x),
                        List.of(out), modulePath));
            }
            from = to;
        }
        return nodes;
    }

    /**
     * Sizes of a Split without sizes: {@code outputs} equal parts (opset 18: {@code num_outputs} parts of
     * {@code ceil(dim / n)}, the last one smaller; before 18 the axis must divide evenly).
     */
    private long[] equalParts(int axis, int dim, int outputs) {
        if (axis == 0) {
            throw attrs.error("splitting the batch axis into equal parts is not supported (give the sizes)");
        }
        int parts = outputs;
        if (ctx.opset() >= 18) {
            long n = attrs.i("num_outputs", -1);
            if (n != outputs) {
                throw attrs.error("num_outputs " + (n < 0 ? "is missing" : "is " + n) + " for " + outputs + " outputs");
            }
        }
        long chunk = ((long) dim + parts - 1) / parts;
        if (ctx.opset() < 18 && (long) chunk * parts != dim) {
            throw attrs.error("axis " + axis + " of size " + dim + " does not split into " + parts + " equal parts");
        }
        long[] sizes = new long[parts];
        long left = dim;
        for (int k = 0; k < parts; k++) {
            sizes[k] = Math.max(0, Math.min(chunk, left));
            left -= sizes[k];
        }
        return sizes;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** The data input; at most {@code maxInputs} inputs. */
    private String data(int maxInputs) {
        return OnnxNodeImport.dataInput(proto, attrs, maxInputs);
    }

    /** A constant int input's values; null when absent and not {@code required}. */
    private long[] constant(int k, String what, boolean required) {
        OnnxTensors.Constant c = OnnxNodeImport.constInput(proto, ctx, attrs, k, what, required);
        return c == null ? null : c.asLongs();
    }

    private int rank(String value) {
        int[] s = ctx.shape(value);
        if (s == null) {
            throw attrs.error("the shape of input '" + value + "' is unknown");
        }
        return s.length;
    }

    private int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw attrs.error("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** An int64 index as an int: beyond int range it means "past the end", which the clamp handles the same. */
    private static int saturate(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
