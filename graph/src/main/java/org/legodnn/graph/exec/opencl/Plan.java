package org.legodnn.graph.exec.opencl;

import java.util.List;
import java.util.Map;

/**
 * What running a graph for one set of input shapes comes to on the device: the steps in order, where the
 * inputs go and the outputs come from, and after which step each slot's buffer can be given back.
 *
 * @param steps        in execution order
 * @param inputs       graph input name to its slot
 * @param outputs      graph output name to where it is read from (a slot, or a constant)
 * @param outputShapes graph output name to its shape
 * @param slotCount    slots of the frame
 * @param releases     for step i, the slots whose last reader it is (never inputs to outputs)
 */
record Plan(List<Step> steps, Map<String, Integer> inputs, Map<String, Operand> outputs,
            Map<String, int[]> outputShapes, int slotCount, int[][] releases) {
}
