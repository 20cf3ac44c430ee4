package org.legodnn.core.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import org.legodnn.core.optimize.OriginalProfiles;
import org.legodnn.graph.onnx.OnnxImportException;
import org.legodnn.graph.onnx.OnnxImporter;
import org.legodnn.nn.data.CifarReader;
import org.legodnn.nn.data.IdxReader;
import org.legodnn.nn.data.ImageFolder;
import org.legodnn.nn.train.Checkpoint;
import org.legodnn.tensor.io.SafetensorsFile;
import org.legodnn.testing.ReferenceData;

/**
 * Every file reader of the project as the hostile-input tests drive it: what it reads (a file or a folder),
 * how a command would use it, and the exception types it documents for bad input. Anything else escaping
 * a reader — another exception, an Error — is a bug.
 */
enum Readers {
    /** Weights and tensors: open, then every tensor as float32 (IllegalArgumentException: a dtype that is not a number). */
    SAFETENSORS("safetensors", Set.of(IOException.class, IllegalArgumentException.class)) {
        @Override
        void read(Path p) throws IOException {
            SafetensorsFile.open(p).tensors();
        }
    },
    /** Training checkpoints and weights files. */
    CHECKPOINT("checkpoint", Set.of(IOException.class)) {
        @Override
        void read(Path p) throws IOException {
            Checkpoint.read(p);
        }
    },
    /** ONNX models. */
    ONNX("onnx", Set.of(OnnxImportException.class, IOException.class)) {
        @Override
        void read(Path p) throws IOException {
            OnnxImporter.read(p);
        }
    },
    /** An IDX images file made into a data set (with as many zero labels), as {@code eval --data} does. */
    IDX("idx", Set.of(IOException.class)) {
        @Override
        void read(Path p) throws IOException {
            IdxReader.IdxArray a = IdxReader.read(p);
            int n = a.dims().length == 0 ? 0 : Math.min(a.dims()[0], 1 << 16);
            IdxReader.dataset(a, new IdxReader.IdxArray("labels", new int[] {n}, new byte[n]), null);
        }
    },
    /** A CIFAR-10 binary batch. */
    CIFAR("cifar", Set.of(IOException.class)) {
        @Override
        void read(Path p) throws IOException {
            CifarReader.read(List.of(p), CifarReader.Labels.CIFAR10, null);
        }
    },
    /** An image folder (one subfolder per class), images kept at their own size. */
    IMAGES("images", Set.of(IOException.class)) {
        @Override
        void read(Path p) throws IOException {
            ImageFolder.load(p, 3, 0, 0);
        }
    },
    /**
     * A folder of the original LegoDNN's profile files: a case folder holds the files it changes; the others are
     * the reference's (a README in the case names a file to leave out).
     */
    PROFILES("profiles", Set.of(IllegalArgumentException.class, IOException.class)) {
        @Override
        void read(Path p) throws IOException {
            OriginalProfiles.read(p);
        }

        @Override
        Path prepare(Path input, Path work) throws IOException {
            Path dir = Files.createDirectories(work.resolve(input.getFileName().toString()));
            for (String name : OriginalProfiles.FILES) {
                Path own = input.resolve(name);
                Files.copy(Files.exists(own) ? own : ReferenceData.originalLegoDnn().resolve(name), dir.resolve(name),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.exists(input.resolve("README"))) {
                Files.delete(dir.resolve(OriginalProfiles.FILES.get(3)));
            }
            return dir;
        }
    };

    /** The folder of crafted inputs under {@code hostile/}. */
    final String folder;
    /** The exception types this reader documents for bad input. */
    final Set<Class<? extends Exception>> documented;

    Readers(String folder, Set<Class<? extends Exception>> documented) {
        this.folder = folder;
        this.documented = documented;
    }

    /** Reads {@code p} as a command would. */
    abstract void read(Path p) throws IOException;

    /** The path to read for crafted input {@code input} (a file or case folder); {@code work} is a scratch folder. */
    Path prepare(Path input, Path work) throws IOException {
        return input;
    }

    boolean documents(Throwable t) {
        for (Class<? extends Exception> c : documented) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
