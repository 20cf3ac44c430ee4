/**
 * Pooling (max, average, global average) with gradients over one PoolGeometry, and resampling (nearest and
 * bilinear up-sampling).
 */
package org.legodnn.kernels.pool;
