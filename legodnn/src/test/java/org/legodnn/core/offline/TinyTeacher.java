package org.legodnn.core.offline;

import java.io.IOException;
import java.util.List;
import org.legodnn.core.blocks.Block;
import org.legodnn.core.blocks.BlockExtractor;
import org.legodnn.core.prune.Descendant;
import org.legodnn.core.prune.Descendants;
import org.legodnn.core.prune.PruningCriterion;
import org.legodnn.graph.Graph;
import org.legodnn.graph.trace.Tracer;
import org.legodnn.nn.Init;
import org.legodnn.nn.data.DataCatalog;
import org.legodnn.nn.data.DataLoader;
import org.legodnn.tensor.Autograd;
import org.legodnn.nn.data.Dataset;
import org.legodnn.nn.data.Normalize;
import org.legodnn.nn.models.CifarResNet;

/** A CIFAR ResNet-8 on 1-channel 28×28 images with random weights, a few hundred Fashion-MNIST images, blocks and descendants. */
final class TinyTeacher {

    static final double[] SPARSITIES = {0.0, 0.4, 0.8};

    final Graph graph;
    final List<Block> blocks;
    final List<List<Descendant>> descendants;
    final Dataset train;
    final Dataset test;
    final Normalize normalize;

    TinyTeacher(int trainImages, int testImages) throws IOException {
        DataCatalog.Source source = DataCatalog.shipped("fashion-mnist");
        train = source.train().load().first(trainImages);
        test = source.test().load().first(testImages);
        normalize = source.normalize();
        Init.manualSeed(0); // the same teacher whatever other tests drew from the shared generator before
        CifarResNet net = new CifarResNet(8, 1, 10);
        calibrate(net);
        graph = Tracer.trace(net, 1, 1, 28, 28);
        blocks = BlockExtractor.extract(graph);
        descendants = Descendants.of(graph, blocks, SPARSITIES, PruningCriterion.L1_NORM);
    }

    /** Gives the random teacher the BatchNorm running statistics of real images, as a trained one has. */
    private void calibrate(CifarResNet net) {
        net.train();
        try (var noGrad = Autograd.noGrad();
             DataLoader loader = new DataLoader(train, DataLoader.Settings.evaluation(64, normalize))) {
            for (int e = 0; e < 8; e++) { // 32 updates: the running statistics settle
                try (DataLoader.Epoch batches = loader.epoch(e)) {
                    while (batches.hasNext()) {
                        net.forward(batches.next().images());
                    }
                }
            }
        }
        net.eval();
    }
}
