package org.legodnn.benchmarks;

import java.util.concurrent.TimeUnit;
import org.legodnn.kernels.conv.ConvGeometry;
import org.legodnn.kernels.opencl.Clamp;
import org.legodnn.kernels.opencl.DeviceBuffer;
import org.legodnn.kernels.opencl.OpenClDevice;
import org.legodnn.kernels.opencl.OpenClKernels;
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
 * Our OpenCL convolution on every distinct layer of ResNet-18 and MobileNetV2 ({@link ConvShapes}), at batch 1,
 * so that each row reads beside the same layer on the CPU ({@link ConvLayerBenchmark}) and in ONNX Runtime
 * ({@link OrtConvLayerBenchmark}). Input, weights and output stay in device memory, as inside a model run on
 * the device: a call enqueues the convolution ({@link OpenClKernels#conv2d}, the path chosen by shape) and waits
 * for it ({@link OpenClDevice#finish}), so transfers are not timed but the launch overhead is.
 *
 * <p>The primary score is calls per second (milliseconds per call = 1000 / score); the secondary score
 * {@code :gflop} is GFLOP/s (JMH shows the unit "ops/s"). {@code device} picks the OpenCL device as
 * {@code run --device} does ({@code opencl}, {@code opencl:N}, {@code opencl:NAME}); without an OpenCL platform
 * the setup fails, saying so.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar benchmarks/target/benchmarks.jar 'OpenClConvLayerBenchmark' -p device=opencl:nvidia -f 1 -wi 2 -i 3 -w 1 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class OpenClConvLayerBenchmark {

    @Param({"opencl"})
    public String device;

    private OpenClDevice gpu;
    private OpenClKernels kernels;
    private ConvGeometry geometry;
    private DeviceBuffer x;
    private DeviceBuffer w;
    private DeviceBuffer y;
    private double gflopPerCall;

    @Setup
    public void setUp(ConvShapes layer) {
        gpu = open(device, "OpenClConvLayerBenchmark");
        kernels = new OpenClKernels(gpu);
        ConvShapes.Shape s = layer.shape();
        geometry = ConvGeometry.square(1, s.inChannels(), s.height(), s.width(), s.outChannels(), s.kernel(), s.stride(),
                s.padding(), 1, s.groups());
        // The same seeded weights and input as ConvLayerBenchmark and OrtConvLayerBenchmark.
        w = gpu.uploadConstant(s.newConv(42).weight().data());
        x = gpu.uploadConstant(s.newInput(43).data());
        y = gpu.allocate(geometry.outputSize());
        gflopPerCall = s.gflop();
    }

    @TearDown
    public void tearDown() {
        y.close();
        x.close();
        w.close();
        kernels.close();
        gpu.close();
    }

    @Benchmark
    public DeviceBuffer conv(Flops flops) {
        kernels.conv2d(geometry, x, w, null, null, Clamp.NONE, y);
        gpu.finish();
        flops.gflop += gflopPerCall;
        return y;
    }

    /**
     * Opens the OpenCL device {@code spec} names for {@code benchmark}, failing with one clear message where this
     * machine has no OpenCL platform (JMH prints it and moves on to the next benchmark).
     */
    static OpenClDevice open(String spec, String benchmark) {
        String reason = OpenClDevice.unavailableReason();
        if (reason != null) {
            throw new IllegalStateException(benchmark + " needs an OpenCL device: " + reason
                    + "; leave this benchmark out where there is none");
        }
        return OpenClDevice.open(spec);
    }
}
