package org.legodnn.graph.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.legodnn.graph.Graph;
import org.legodnn.graph.Node;
import org.legodnn.graph.ShapeInference;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.onnx.proto.OnnxProto.GraphProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ModelProto;
import org.legodnn.graph.onnx.proto.OnnxProto.NodeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorShapeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TypeProto;
import org.legodnn.graph.onnx.proto.OnnxProto.ValueInfoProto;
import org.legodnn.tensor.Tensor;

/**
 * Reads an ONNX model (opsets 11 to 18) into a {@link Graph}, so that models trained elsewhere can be run,
 * analysed, pruned and LegoDNN-ified like the engine's own. Weights keep their initializer names (PyTorch's
 * exporter uses the state-dict names), BatchNormalization stays a BN node, constant inputs (shapes, pads,
 * scales, clip bounds) become node settings, and the module path of each node is read from the exporter's
 * scoped node names ({@code /layer1/layer1.0/conv1/Conv} → {@code layer1.0.conv1}).
 */
public final class OnnxImporter implements OnnxNodeImport.Context {

    /** The opsets whose semantics the importer implements. */
    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 18;

    private final int opset;
    private final Map<String, OnnxTensors.Constant> constants = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private boolean spatialStatic = true;
    /** Whether every input dimension is known, so that every shape is exact (Shape ops can be folded). */
    private boolean allStatic = true;

    private OnnxImporter(int opset) {
        this.opset = opset;
    }

    /** Reads the model at {@code path}. */
    public static Graph read(Path path) throws IOException {
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String foreign = org.legodnn.tensor.io.ForeignFormats.describeForModels(head, n);
        if (foreign != null) {
            throw new OnnxImportException(path + ": not an ONNX model: it is " + foreign);
        }
        if (n == 0) {
            throw new OnnxImportException(path + ": empty file (expected an ONNX model)");
        }
        try (InputStream in = Files.newInputStream(path)) {
            ModelProto model;
            try {
                model = ModelProto.parseFrom(in);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new OnnxImportException(path + " is not an ONNX model: " + e.getMessage());
            }
            if (!model.hasGraph()) {
                throw new OnnxImportException(path + ": not an ONNX model (it holds no graph)");
            }
            return fromModel(model, path.getFileName().toString());
        }
    }

    /** Reads a model from its bytes (already in memory, e.g. checked against a checksum); {@code source} names it. */
    public static Graph read(byte[] bytes, String source) {
        String foreign = org.legodnn.tensor.io.ForeignFormats.describeForModels(bytes, bytes.length);
        if (foreign != null) {
            throw new OnnxImportException(source + ": not an ONNX model: it is " + foreign);
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new OnnxImportException(source + " is not an ONNX model: " + e.getMessage());
        }
        if (!model.hasGraph()) {
            throw new OnnxImportException(source + ": not an ONNX model (it holds no graph)");
        }
        return fromModel(model, source);
    }

    /** Converts a parsed model; {@code source} names it in messages. */
    public static Graph fromModel(ModelProto model, String source) {
        long version = -1;
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
                version = id.getVersion();
            }
        }
        if (version < MIN_OPSET || version > MAX_OPSET) {
            throw new OnnxImportException(source + ": ONNX opset " + (version < 0 ? "(none)" : version)
                    + " is not supported; opsets " + MIN_OPSET + " to " + MAX_OPSET + " are");
        }
        int opset = (int) version;
        try {
            return new OnnxImporter(opset).convert(model.getGraph(), source);
        } catch (OnnxImportException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(source + ":")) {
                throw e;
            }
            throw new OnnxImportException(source + ": " + e.getMessage()); // name the file, not only the node
        }
    }

    private Graph convert(GraphProto g, String source) {
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), OnnxTensors.read(t));
            shapes.put(t.getName(), constants.get(t.getName()).dims());
        }
        if (g.getSparseInitializerCount() > 0) {
            throw new OnnxImportException(source + ": sparse initializers are not supported");
        }
        List<ValueInfo> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (constants.containsKey(v.getName())) {
                continue; // IR version 3 lists initializers among the inputs
            }
            ValueInfo info = inputInfo(v, source);
            inputs.add(info);
            shapes.put(info.name(), info.concreteShape());
            int[] declared = info.shape();
            for (int d = 0; d < declared.length; d++) {
                spatialStatic &= d == 0 || declared[d] >= 0;
                allStatic &= declared[d] >= 0;
            }
        }
        List<Node> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int k = 0; k < g.getNodeCount(); k++) {
            NodeProto p = g.getNode(k);
            String name = p.getName().isEmpty() || names.contains(p.getName()) ? p.getOpType() + "_" + k : p.getName();
            names.add(name);
            for (String out : p.getOutputList()) {
                if (!out.isEmpty() && shapes.containsKey(out)) {
                    throw new OnnxImportException("ONNX " + p.getOpType() + " node '" + name + "' (opset " + opset
                            + "): output '" + out + "' is already defined (ONNX values are assigned once)");
                }
            }
            OnnxTensors.Constant folded = OnnxConstantFolding.tryFold(p, this, allStatic);
            if (folded != null) {
                defineConstant(folded.name(), folded);
                continue;
            }
            for (Node n : OnnxNodeImport.translate(p, this, name, modulePath(p))) {
                nodes.add(shaped(n, p, name, source));
            }
        }
        OnnxQuantizeImport.checkPairs(g, this);
        Map<String, Tensor> initializers = new LinkedHashMap<>();
        Set<String> read = new HashSet<>();
        for (Node n : nodes) {
            read.addAll(n.inputs());
        }
        for (ValueInfoProto v : g.getOutputList()) {
            read.add(v.getName());
        }
        for (OnnxTensors.Constant c : constants.values()) {
            if (read.contains(c.name())) {
                if (!c.isFloat()) {
                    throw new OnnxImportException(source + ": integer tensor '" + c.name()
                            + "' is used as data; only float data is supported");
                }
                initializers.put(c.name(), c.toTensor());
            }
        }
        List<String> outputs = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) {
            if (!shapes.containsKey(v.getName())) {
                throw new OnnxImportException(source + ": output '" + v.getName() + "' is computed by no node"
                        + " (expected an output of a node, an input or an initializer)");
            }
            outputs.add(v.getName());
        }
        if (outputs.isEmpty()) {
            throw new OnnxImportException(source + ": the graph declares no outputs (expected at least one)");
        }
        try {
            return new Graph(g.getName(), inputs, outputs, initializers, nodes);
        } catch (OnnxImportException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException(source + ": " + e.getMessage()); // the graph's own consistency checks
        }
    }

    private static ValueInfo inputInfo(ValueInfoProto v, String source) {
        TypeProto type = v.getType();
        if (!type.hasTensorType()) {
            throw new OnnxImportException(source + ": input '" + v.getName() + "' is not a tensor");
        }
        int elem = type.getTensorType().getElemType();
        if (elem != TensorProto.DataType.FLOAT_VALUE) {
            throw new OnnxImportException(source + ": input '" + v.getName() + "' has element type "
                    + TensorProto.DataType.forNumber(elem) + "; only FLOAT inputs are supported");
        }
        if (!type.getTensorType().hasShape()) {
            throw new OnnxImportException(source + ": input '" + v.getName() + "' has no declared shape");
        }
        List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
        int[] shape = new int[dims.size()];
        long values = 1;
        for (int d = 0; d < shape.length; d++) {
            long dim = dims.get(d).hasDimValue() ? dims.get(d).getDimValue() : -1;
            if (dims.get(d).hasDimValue() && (dim < 1 || dim > Integer.MAX_VALUE)) {
                throw new OnnxImportException(source + ": input '" + v.getName() + "' has dimension " + dim
                        + " (expected a positive int, or a named dimension)");
            }
            shape[d] = (int) dim;
            values = (long) Math.min((double) values * Math.max(1, dim), 0x1p40);
        }
        if (values > ShapeInference.MAX_VALUES) {
            throw new OnnxImportException(source + ": input '" + v.getName() + "' of shape " + dims.stream()
                    .map(x -> x.hasDimValue() ? Long.toString(x.getDimValue()) : "?").toList() + " has more than "
                    + ShapeInference.MAX_VALUES + " values");
        }
        return new ValueInfo(v.getName(), shape);
    }

    /**
     * The module path from a weight's name ({@code layer1.0.conv1.weight}) or from PyTorch's scoped node name
     * ({@code /layer1/layer1.0/conv1/Conv}: each scope is either the full path or a child of the one before).
     */
    private String modulePath(NodeProto p) {
        for (int k = 1; k < p.getInputCount(); k++) {
            String in = p.getInput(k);
            OnnxTensors.Constant c = constants.get(in);
            if (c != null && c.isFloat() && (in.endsWith(".weight") || in.endsWith(".bias"))) {
                return in.substring(0, in.lastIndexOf('.'));
            }
        }
        String name = p.getName();
        if (!name.startsWith("/")) {
            return "";
        }
        String[] parts = name.substring(1).split("/");
        String path = "";
        for (int k = 0; k < parts.length - 1; k++) {
            String part = parts[k];
            if (path.isEmpty() || part.startsWith(path + ".")) {
                path = part;
            } else {
                path = path + "." + part;
            }
        }
        return path;
    }

    /** {@code n} after recording its output's shape; fails naming the ONNX node when an input is missing or misfits. */
    private Node shaped(Node n, NodeProto p, String name, String source) {
        List<int[]> in = new ArrayList<>();
        for (String value : n.inputs()) {
            int[] s = shapes.get(value);
            if (s == null) {
                throw new OnnxImportException("ONNX " + p.getOpType() + " node '" + name + "' (opset " + opset
                        + "): input '" + value + "' is not defined before the node (nodes must be sorted)");
            }
            in.add(s);
        }
        try {
            shapes.put(n.output(), ShapeInference.outputShape(n, in));
        } catch (OnnxImportException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new OnnxImportException(source + ": " + e.getMessage());
        }
        return n;
    }

    // ---- OnnxNodeImport.Context ---------------------------------------------------------------------------

    @Override
    public int opset() {
        return opset;
    }

    @Override
    public OnnxTensors.Constant constant(String value) {
        return constants.get(value);
    }

    @Override
    public int[] shape(String value) {
        int[] s = shapes.get(value);
        return s == null ? null : s.clone();
    }

    @Override
    public boolean spatialStatic() {
        return spatialStatic;
    }

    @Override
    public void defineConstant(String value, OnnxTensors.Constant c) {
        constants.put(value, c);
        shapes.put(value, c.dims());
    }
}
