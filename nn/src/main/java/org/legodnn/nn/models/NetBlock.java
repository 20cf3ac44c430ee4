package org.legodnn.nn.models;

import org.legodnn.nn.Module;
import org.legodnn.tensor.Ops;
import org.legodnn.tensor.Tensor;

/**
 * A single-layer PlainNet block ({@code ConvKX}, {@code ConvDW}, {@code BN}, {@code AdaptiveAvgPool},
 * {@code Linear}): it only holds its layer under the name {@code netblock}, because that is where the
 * GPU-Efficient-Networks code keeps it and GENet weights are named {@code module_list.0.netblock.weight}.
 */
public final class NetBlock extends Module {

    private final Module netblock;
    private final boolean flattenInput;

    /** @param flattenInput flatten a {@code [N, C, H, W]} input to {@code [N, C·H·W]} first (for a linear layer) */
    public NetBlock(Module netblock, boolean flattenInput) {
        this.netblock = registerModule("netblock", netblock);
        this.flattenInput = flattenInput;
    }

    @Override
    public Tensor forward(Tensor x) {
        return netblock.call(flattenInput && x.rank() > 2 ? Ops.flatten(x) : x);
    }

    public Module netblock() {
        return netblock;
    }
}
