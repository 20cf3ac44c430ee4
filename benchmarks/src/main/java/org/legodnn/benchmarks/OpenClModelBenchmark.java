package org.legodnn.benchmarks;

import java.util.concurrent.TimeUnit;
import org.legodnn.cli.BenchCommand;
import org.legodnn.graph.exec.CompiledGraph;
import org.legodnn.graph.exec.opencl.OpenClExecution;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole models on an OpenCL device under the inference keys of {@code legodnn bench} and DESIGN.md's peer table,
 * so that they read beside the CPU and ONNX Runtime ({@link ModelBenchmark}) and a GPU peer (PyTorch with cuDNN)
 * measured on the same box. The same zoo model with the same random weights ({@link BenchCommand.Workload}),
 * traced once and compiled for the device ({@link CompiledGraph} on {@link OpenClExecution}: BatchNorm folded, weights uploaded once);
 * a call is what {@code bench --device opencl} times: upload the input, run with every intermediate value in
 * device memory, download the output.
 *
 * <p>The score is milliseconds per call, as in {@code bench --json}. {@code device} picks the OpenCL device as
 * {@code run --device} does; without an OpenCL platform the setup fails, saying so.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar OpenClModelBenchmark -p device=opencl:nvidia -f 1 -wi 3 -i 5 -w 2 -r 2
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class OpenClModelBenchmark {

    @Param({"resnet18_b1_224", "mobilenet_v2_b1_224", "cifar_resnet20_b1_32", "cifar_resnet20_b128_32"})
    public String key;

    @Param({"opencl"})
    public String device;

    /** Seeds the weights and the input, as {@code bench} does by default. */
    private static final long SEED = 1;

    private OpenClDevice gpu;
    private OpenClExecution ocl;
    private CompiledGraph compiled;
    private Tensor x;

    @Setup
    public void setUp() {
        gpu = OpenClConvLayerBenchmark.open(device, "OpenClModelBenchmark");
        BenchCommand.Workload w = BenchCommand.workload(key);
        ocl = new OpenClExecution(gpu);
        compiled = w.compile(w.newModel(SEED), ocl);
        x = w.newInput(SEED + 1);
    }

    @TearDown
    public void tearDown() {
        compiled.close();
        ocl.close();
        gpu.close();
    }

    @Benchmark
    public Tensor legodnnOpenCl() {
        return compiled.run(x);
    }
}
