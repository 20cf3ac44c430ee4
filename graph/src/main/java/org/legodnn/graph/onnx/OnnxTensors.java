package org.legodnn.graph.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto;
import org.legodnn.graph.onnx.proto.OnnxProto.TensorProto.DataType;
import org.legodnn.tensor.Tensor;

/**
 * Converts between ONNX's {@code TensorProto} and the engine's values: float tensors become {@link Tensor}s,
 * integer tensors (shapes, pads, axes) become {@code long[]}. Data may sit in {@code raw_data}
 * (little-endian) or in the typed repeated fields; both are read. External data files are not supported.
 */
public final class OnnxTensors {

    private OnnxTensors() {
    }

    /**
     * A constant from the file: its dimensions, either float or integer values, and the ONNX type they were stored
     * as (which tells an int8 weight from a uint8 one).
     */
    public record Constant(String name, int[] dims, float[] floats, long[] longs, DataType type) {
        /** A constant computed here: FLOAT for float values, INT64 for integers. */
        public Constant(String name, int[] dims, float[] floats, long[] longs) {
            this(name, dims, floats, longs, floats != null ? DataType.FLOAT : DataType.INT64);
        }

        public boolean isFloat() {
            return floats != null;
        }

        public int size() {
            return isFloat() ? floats.length : longs.length;
        }

        /** The values as floats, converting integers. */
        public float[] asFloats() {
            if (floats != null) {
                return floats;
            }
            float[] f = new float[longs.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = longs[i];
            }
            return f;
        }

        /** The values as longs; fails for float data that is not integral. */
        public long[] asLongs() {
            if (longs != null) {
                return longs;
            }
            long[] l = new long[floats.length];
            for (int i = 0; i < l.length; i++) {
                if (floats[i] != Math.rint(floats[i])) {
                    throw new OnnxImportException("constant " + name + " holds " + floats[i] + " where an integer is needed");
                }
                l[i] = (long) floats[i];
            }
            return l;
        }

        public Tensor toTensor() {
            return Tensor.of(asFloats().clone(), dims);
        }
    }

    public static Constant read(TensorProto t) {
        String name = t.getName();
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new OnnxImportException("tensor " + name + " keeps its data in an external file, which is not supported");
        }
        if (t.getDimsCount() > MAX_RANK) {
            throw new OnnxImportException("tensor " + name + " has " + t.getDimsCount() + " dimensions (expected at most "
                    + MAX_RANK + ")");
        }
        int[] dims = new int[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new OnnxImportException("tensor " + name + " has invalid dimension " + d);
            }
            dims[i] = (int) d;
            count = (long) Math.min((double) count * d, 0x1p40); // saturates: every dimension is below 2^31
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new OnnxImportException("tensor " + name + " of dimensions " + java.util.Arrays.toString(dims)
                    + " is too large (" + count + " values; at most " + (Integer.MAX_VALUE - 8) + ")");
        }
        int n = (int) count;
        DataType type = DataType.forNumber(t.getDataType());
        if (type == null) {
            throw new OnnxImportException("tensor " + name + " has unknown data type " + t.getDataType());
        }
        ByteBuffer raw = t.hasRawData() ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
        checkStored(t, type, raw, n); // before allocating what the dimensions announce
        switch (type) {
            case FLOAT -> {
                float[] f = new float[n];
                if (raw != null) {
                    checkRaw(name, raw, 4L * n);
                    raw.asFloatBuffer().get(f);
                } else {
                    checkCount(name, t.getFloatDataCount(), n);
                    for (int i = 0; i < n; i++) {
                        f[i] = t.getFloatData(i);
                    }
                }
                return new Constant(name, dims, f, null, type);
            }
            case DOUBLE -> {
                float[] f = new float[n];
                if (raw != null) {
                    checkRaw(name, raw, 8L * n);
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) raw.getDouble(8 * i);
                    }
                } else {
                    checkCount(name, t.getDoubleDataCount(), n);
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) t.getDoubleData(i);
                    }
                }
                return new Constant(name, dims, f, null);
            }
            case INT64 -> {
                long[] l = new long[n];
                if (raw != null) {
                    checkRaw(name, raw, 8L * n);
                    raw.asLongBuffer().get(l);
                } else {
                    checkCount(name, t.getInt64DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getInt64Data(i);
                    }
                }
                return new Constant(name, dims, null, l);
            }
            case INT32, INT16, INT8, UINT8, UINT16, BOOL -> {
                long[] l = new long[n];
                if (raw != null) {
                    int width = switch (type) {
                        case INT32 -> 4;
                        case INT16, UINT16 -> 2;
                        default -> 1;
                    };
                    checkRaw(name, raw, (long) width * n);
                    for (int i = 0; i < n; i++) {
                        l[i] = switch (type) {
                            case INT32 -> raw.getInt(4 * i);
                            case INT16 -> raw.getShort(2 * i);
                            case UINT16 -> raw.getShort(2 * i) & 0xffff;
                            case INT8 -> raw.get(i);
                            default -> raw.get(i) & 0xff;
                        };
                    }
                } else {
                    checkCount(name, t.getInt32DataCount(), n);
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getInt32Data(i);
                    }
                }
                return new Constant(name, dims, null, l, type);
            }
            default -> throw new OnnxImportException("tensor " + name + " has data type " + type
                    + ", which is not supported (FLOAT, DOUBLE and integer types are)");
        }
    }

    /** The most dimensions a tensor here may have. */
    private static final int MAX_RANK = 16;

    /**
     * Checks that the values stored in {@code t} (raw bytes or a typed list) are as many as its dimensions say,
     * so that a few bytes announcing billions of values are refused before the arrays are made.
     */
    private static void checkStored(TensorProto t, DataType type, ByteBuffer raw, int n) {
        int width = switch (type) {
            case FLOAT, INT32 -> 4;
            case DOUBLE, INT64 -> 8;
            case INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
            default -> 0; // refused below by type
        };
        if (width == 0) {
            return;
        }
        if (raw != null) {
            checkRaw(t.getName(), raw, (long) width * n);
            return;
        }
        int have = switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            default -> t.getInt32DataCount();
        };
        checkCount(t.getName(), have, n);
    }

    private static void checkRaw(String name, ByteBuffer raw, long bytes) {
        if (raw.remaining() != bytes) {
            throw new OnnxImportException("tensor " + name + " has " + raw.remaining() + " bytes of raw data, expected " + bytes);
        }
    }

    private static void checkCount(String name, int have, int want) {
        if (have != want) {
            throw new OnnxImportException("tensor " + name + " has " + have + " values, its dimensions say " + want);
        }
    }

    /** A FLOAT tensor with raw little-endian data. */
    public static TensorProto floats(String name, Tensor t) {
        ByteBuffer buf = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(t.data());
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (int d : t.shape()) {
            b.addDims(d);
        }
        return b.build();
    }

    /** An integer tensor of {@code type} (INT8, UINT8 or INT32: quantized weights, zero points) with raw data. */
    public static TensorProto integers(String name, DataType type, long[] values, int... dims) {
        int width = type == DataType.INT32 ? 4 : 1;
        if (type != DataType.INT32 && type != DataType.INT8 && type != DataType.UINT8) {
            throw new IllegalArgumentException("tensor " + name + ": " + type + " is not a quantized type"
                    + " (INT8, UINT8 or INT32)");
        }
        ByteBuffer buf = ByteBuffer.allocate(width * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (width == 4) {
                buf.putInt((int) v);
            } else {
                buf.put((byte) v);
            }
        }
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(buf.array()));
        for (int d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /** An INT64 tensor (shapes, pads, axes) of the given dimensions. */
    public static TensorProto longs(String name, long[] values, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.INT64_VALUE);
        for (long d : dims) {
            b.addDims(d);
        }
        for (long v : values) {
            b.addInt64Data(v);
        }
        return b.build();
    }
}
