package org.legodnn.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.legodnn.nn.Module;
import org.legodnn.nn.optim.Optimizer;
import org.legodnn.tensor.Tensor;
import org.legodnn.tensor.io.Safetensors;
import org.legodnn.tensor.io.SafetensorsFile;

/**
 * The two files training writes, both safetensors with PyTorch's parameter names: a <em>weights</em> file
 * (the model's state dict alone, loadable by {@code torch.load_state_dict} after {@code safetensors.torch.load_file})
 * and a <em>checkpoint</em> that adds the optimizer's state under {@code optimizer.<index>.<name>} and the
 * number of finished epochs in the metadata, which is all that resuming needs. Writes are atomic (a
 * temporary file renamed into place), so a run killed mid-write keeps the previous epoch's file.
 */
public final class Checkpoint {

    /** Prefix of the optimizer's tensors in a checkpoint. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    /** Metadata key: epochs finished. */
    public static final String EPOCH = "epoch";
    /** Metadata key: "legodnn-checkpoint" or "legodnn-weights". */
    public static final String FORMAT = "format";

    /**
     * What a checkpoint or weights file holds.
     *
     * @param model     the model's state dict
     * @param optimizer the optimizer's state, keys without the prefix (empty in a weights file)
     * @param metadata  the string metadata
     */
    public record Contents(Map<String, Tensor> model, Map<String, Tensor> optimizer, Map<String, String> metadata) {

        /** Whether this has what resuming needs (an epoch count, written by {@link #write}). */
        public boolean resumable() {
            return "legodnn-checkpoint".equals(metadata.get(FORMAT)) && metadata.containsKey(EPOCH);
        }

        /** Epochs finished, from the metadata. */
        public int epoch() {
            String e = metadata.get(EPOCH);
            if (e == null) {
                throw new IllegalStateException("checkpoint metadata has no '" + EPOCH + "'");
            }
            return Integer.parseInt(e);
        }
    }

    private Checkpoint() {
    }

    /** Writes model, optimizer state and metadata (which should include {@link #EPOCH}) to {@code path}. */
    public static void write(Path path, Module model, Optimizer optimizer, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
        for (Map.Entry<String, Tensor> e : optimizer.stateDict().entrySet()) {
            tensors.put(OPTIMIZER_PREFIX + e.getKey(), e.getValue());
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(FORMAT, "legodnn-checkpoint");
        Safetensors.write(path, tensors, meta);
    }

    /** Writes the model's state dict alone, with {@code metadata}. */
    public static void writeWeights(Path path, Module model, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(FORMAT, "legodnn-weights");
        Safetensors.write(path, model.stateDict(), meta);
    }

    /**
     * Reads a checkpoint or a weights file (any safetensors state dict: the optimizer part is then empty).
     *
     * @throws IOException naming the file: not safetensors, a tensor of a type that is not a number (U8, BOOL), or
     *                     an {@code epoch} in the metadata that is not a whole number from 0
     */
    public static Contents read(Path path) throws IOException {
        SafetensorsFile file = SafetensorsFile.open(path);
        String epoch = file.metadata().get(EPOCH);
        if (epoch != null && !epoch.matches("[0-9]{1,9}")) {
            throw new IOException(path + ": metadata '" + EPOCH + "' is '" + (epoch.length() > 40 ? epoch.substring(0, 40)
                    + "..." : epoch).replaceAll("\\p{Cntrl}", "?") + "' (expected the number of finished epochs, a whole number from 0)");
        }
        try {
            return split(file);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** As {@link #read(Path)}, for a file already opened (e.g. from a resource). */
    public static Contents split(SafetensorsFile file) {
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optimizer = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                optimizer.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue());
            } else {
                model.put(e.getKey(), e.getValue());
            }
        }
        return new Contents(model, optimizer, file.metadata());
    }

    /** The checkpoint path that belongs to weights file {@code weights}: {@code x.safetensors} → {@code x.ckpt.safetensors}. */
    public static Path beside(Path weights) {
        String name = weights.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return weights.resolveSibling(stem + ".ckpt.safetensors");
    }
}
