/**
 * The traced graph of a model: op nodes and tensor edges in topological order, channel-dependency groups,
 * FLOPs/parameter/memory analysis, and ONNX import and export. LegoDNN's block extraction and structured
 * pruning work on this graph.
 */
package org.legodnn.graph;
