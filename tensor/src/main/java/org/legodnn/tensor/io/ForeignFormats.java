package org.legodnn.tensor.io;

/**
 * Recognizes the files people commonly pass where safetensors belongs — above all PyTorch's own {@code .pth}
 * pickles — from their first bytes, so that the error says what the file is and how to convert it instead of
 * reporting a nonsensical header length read from someone else's magic number.
 */
public final class ForeignFormats {

    /** How to turn a PyTorch state dict into the file this project reads. */
    static final String CONVERT = "convert it in Python with: from safetensors.torch import save_file; "
            + "save_file(torch.load(\"m.pth\", map_location=\"cpu\"), \"m.safetensors\") "
            + "(or save_file(model.state_dict(), \"m.safetensors\"))";

    private ForeignFormats() {
    }

    /**
     * What kind of file starts with {@code head}, for a reader of models (ONNX), or null when the bytes match
     * none of the kinds people mistake for a model.
     */
    public static String describeForModels(byte[] head, int length) {
        if (starts(head, length, 'P', 'K', 3, 4)) {
            return "a zip archive (a PyTorch checkpoint .pth/.pt?), not an ONNX model; export the model with"
                    + " torch.onnx.export(model, example_input, \"m.onnx\")";
        }
        if (length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            return "a Python pickle (a PyTorch checkpoint?), not an ONNX model; export the model with"
                    + " torch.onnx.export(model, example_input, \"m.onnx\")";
        }
        if (length >= 9 && head[8] == '{' && head[5] == 0 && head[6] == 0 && head[7] == 0) {
            return "a safetensors file (weights without a graph), not an ONNX model";
        }
        if (starts(head, length, 0x1f, 0x8b)) {
            return "gzip-compressed; unpack it first (gunzip)";
        }
        return null;
    }

    /**
     * What kind of file starts with {@code head}, with a hint for safetensors readers, or null when the bytes
     * match no known other format.
     */
    static String describe(byte[] head, int length) {
        if (starts(head, length, 'P', 'K', 3, 4) || starts(head, length, 'P', 'K', 5, 6)) {
            return "a zip archive, which is how torch.save writes a PyTorch checkpoint (.pth/.pt) since PyTorch 1.6, "
                    + "not safetensors; " + CONVERT;
        }
        if (length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            return "a Python pickle (protocol " + head[1] + "), as older torch.save writes a checkpoint (.pth/.pt/.pkl), "
                    + "not safetensors; " + CONVERT;
        }
        if (starts(head, length, 0x93, 'N', 'U', 'M', 'P', 'Y')) {
            return "a NumPy .npy array, not safetensors; save it with safetensors.numpy.save_file";
        }
        if (starts(head, length, 0x1f, 0x8b)) {
            return "gzip-compressed; unpack it first (gunzip) and pass the .safetensors file inside";
        }
        if (starts(head, length, 0x89, 'H', 'D', 'F')) {
            return "an HDF5 file (Keras .h5), not safetensors";
        }
        if (length >= 3 && head[0] == 0x08 && head[1] > 0 && head[1] < 16
                && (head[2] == 0x12 || head[2] == 0x1a || head[2] == 0x3a || head[2] == 0x42)) {
            return "probably an ONNX model (a protobuf starting with ir_version), not safetensors; "
                    + "pass it where a model (--model M.onnx) is expected";
        }
        return null;
    }

    private static boolean starts(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
