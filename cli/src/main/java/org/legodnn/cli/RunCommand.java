package org.legodnn.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.legodnn.graph.Graph;
import org.legodnn.graph.ValueInfo;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.opencl.OpenClExecution;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.kernels.Parallel;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.tensor.NonFinite;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.SafetensorsFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a model that was trained elsewhere: imports an ONNX file, feeds it a tensor from a safetensors file
 * and writes every output by name to another, so that outside tools can check our numbers against theirs
 * with nothing but two files.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an ONNX model on a safetensors input and write its outputs (by name) to a safetensors file.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX model (opsets 11 to 18).")
    private Path model;

    @Option(names = "--input", required = true, paramLabel = "IN.safetensors",
            description = "The input: the tensor named like the model's input, or the file's only tensor.")
    private Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.safetensors",
            description = "Where to write every model output, by name (written atomically).")
    private Path output;

    @Option(names = "--device", paramLabel = DeviceSpec.LABEL,
            description = "Where to run: cpu, or an OpenCL device: the first (opencl), the N-th over all platforms "
                    + "(opencl:1) or the first whose name contains NAME (opencl:nvidia). Default: ${DEFAULT-VALUE}.")
    private String device = "cpu";

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the kernels (default: all cores).")
    private Integer threads;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        boolean opencl = DeviceSpec.isOpenCl(spec.commandLine(), device);
        requireFile(model, "--model");
        requireFile(input, "--input");
        Graph graph = OnnxImporter.read(model);
        if (graph.outputs().isEmpty()) {
            throw new IllegalArgumentException("--model " + model + " declares no outputs: nothing to compute or write"
                    + " (" + output + " not written)");
        }
        SafetensorsFile file = SafetensorsFile.open(input);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            inputs.put(in.name(), pick(file, in, graph.inputs().size()));
        }
        int previous = Parallel.threads();
        Map<String, Tensor> outputs;
        try {
            if (threads != null) {
                Parallel.setThreads(threads);
            }
            if (opencl) {
                try (OpenClDevice d = OpenClDevice.open(device)) {
                    outputs = OpenClExecution.run(graph, d, inputs);
                }
            } else {
                outputs = CompiledGraph.compile(graph).run(inputs);
            }
        } finally {
            Parallel.setThreads(previous);
        }
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            String bad = NonFinite.describe(e.getValue());
            if (bad != null) {
                throw new IllegalStateException("output '" + e.getKey() + "' is " + bad + " (" + output
                        + " not written); check the model's weights and the input");
            }
        }
        Safetensors.write(output, outputs, Map.of("producer", "legodnn run", "model", model.getFileName().toString()));
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            System.out.println(e.getKey() + " " + Shapes.format(e.getValue().shape()));
        }
        return 0;
    }

    static void requireFile(Path path, String option) {
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw new IllegalArgumentException(option + " " + path + ": no such file");
        }
    }

    /** The tensor named like the model input, or the only tensor of the file when the model has one input. */
    private Tensor pick(SafetensorsFile file, ValueInfo in, int modelInputs) {
        if (file.contains(in.name())) {
            return file.tensor(in.name());
        }
        List<String> names = file.names();
        if (modelInputs == 1 && names.size() == 1) {
            return file.tensor(names.get(0));
        }
        throw new IllegalArgumentException(input + " has no tensor named '" + in.name() + "' (the model's input "
                + Shapes.format(in.shape()) + "); it holds " + names);
    }
}
