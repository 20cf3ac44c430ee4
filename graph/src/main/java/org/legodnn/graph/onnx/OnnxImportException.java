package org.legodnn.graph.onnx;

/**
 * A model that the importer cannot represent faithfully: an unsupported op, attribute, data type or opset.
 * The message names the op, the node and the opset, so that the user knows what to change; the importer
 * never guesses.
 */
public final class OnnxImportException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public OnnxImportException(String message) {
        super(message);
    }
}
