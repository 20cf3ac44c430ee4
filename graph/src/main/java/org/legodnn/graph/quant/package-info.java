/**
 * Int8 post-training quantization: {@link org.legodnn.graph.quant.StaticQuantizer} turns a float graph into a QDQ
 * graph (quantize-dequantize nodes on weights, biases and the activations that matrix ops and residual Adds read);
 * a {@link org.legodnn.graph.quant.RangeObserver} watches the tensors of a calibration run and chooses a clipping
 * range (min-max, percentile or TensorRT's entropy method, see {@link org.legodnn.graph.quant.Calibration}), from
 * which {@link org.legodnn.graph.quant.QuantParams} derives a scale and zero point;
 * {@link org.legodnn.graph.quant.QuantizeDequantize} is ONNX's QuantizeLinear and DequantizeLinear in float.
 */
package org.legodnn.graph.quant;
