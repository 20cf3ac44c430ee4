/**
 * Value-by-value and layout kernels: activations and their gradients, BatchNorm (training, inference, gradient),
 * and the copies that change layout (channel concatenation, transposes).
 */
package org.legodnn.kernels.elementwise;
