/**
 * Activation-range calibration for int8 post-training quantization: a {@link
 * org.legodnn.graph.quant.RangeObserver} watches the tensors of a calibration run and chooses a clipping range
 * (min-max, percentile or TensorRT's entropy method, see {@link org.legodnn.graph.quant.Calibration}), from
 * which {@link org.legodnn.graph.quant.QuantParams} derives a scale and zero point.
 */
package org.legodnn.graph.quant;
