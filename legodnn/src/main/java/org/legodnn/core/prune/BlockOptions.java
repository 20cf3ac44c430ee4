package org.legodnn.core.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a block offers the optimizer, in one order that every profile, store file and selection shares: each
 * sparsity at fp32, then each sparsity again at every further precision. Option {@code o} is the descendant at
 * sparsity index {@code o % n} ({@code n} sparsities) in precision {@code precisions[o / n]}, so a store without
 * int8 keeps its old numbering (option = sparsity index) and option 0 is always the original block.
 *
 * @param sparsities the sparsities, ascending from 0
 * @param precisions the precisions, fp32 first
 */
public record BlockOptions(double[] sparsities, List<Precision> precisions) {

    public BlockOptions {
        if (sparsities.length == 0 || precisions.isEmpty() || precisions.get(0) != Precision.FP32) {
            throw new IllegalArgumentException("BlockOptions: " + sparsities.length + " sparsities, precisions "
                    + precisions + " (expected at least one sparsity and fp32 first)");
        }
        if (precisions.stream().distinct().count() != precisions.size()) {
            throw new IllegalArgumentException("BlockOptions: precisions " + precisions + " repeat one");
        }
        sparsities = sparsities.clone();
        precisions = List.copyOf(precisions);
    }

    /** Options of fp32 descendants only: what a store held before precision became a dimension. */
    public static BlockOptions fp32(double[] sparsities) {
        return new BlockOptions(sparsities, List.of(Precision.FP32));
    }

    /**
     * The options that {@code ds} (one block's descendants) spell, checked against {@code sparsities}: the list must
     * hold every sparsity at fp32 in order, then every sparsity at each further precision.
     *
     * @throws IllegalArgumentException naming the first descendant out of place
     */
    public static BlockOptions of(double[] sparsities, List<Descendant> ds) {
        int n = sparsities.length;
        if (n == 0 || ds.size() % n != 0) {
            throw new IllegalArgumentException("BlockOptions: " + ds.size() + " descendants for " + n
                    + " sparsities (expected a multiple)");
        }
        List<Precision> precisions = new ArrayList<>();
        for (int k = 0; k < ds.size(); k += n) {
            precisions.add(ds.get(k).precision());
        }
        BlockOptions o = new BlockOptions(sparsities, precisions);
        for (int k = 0; k < ds.size(); k++) {
            Descendant d = ds.get(k);
            if (d.sparsity() != o.sparsity(k) || d.precision() != o.precision(k)) {
                throw new IllegalArgumentException("BlockOptions: descendant " + k + " of block " + d.blockIndex()
                        + " is at sparsity " + d.sparsity() + " in " + d.precision().label() + ", expected "
                        + o.label(k));
            }
        }
        return o;
    }

    @Override
    public double[] sparsities() {
        return sparsities.clone();
    }

    /** Options per block: sparsities times precisions. */
    public int count() {
        return sparsities.length * precisions.size();
    }

    /** Whether more than fp32 is offered. */
    public boolean mixed() {
        return precisions.size() > 1;
    }

    /** The sparsity index (into {@link #sparsities}) of option {@code o}. */
    public int sparsityIndex(int o) {
        check(o);
        return o % sparsities.length;
    }

    /** The sparsity of option {@code o}. */
    public double sparsity(int o) {
        return sparsities[sparsityIndex(o)];
    }

    /** The precision of option {@code o}. */
    public Precision precision(int o) {
        check(o);
        return precisions.get(o / sparsities.length);
    }

    /**
     * The option of the descendant at sparsity index {@code j} in precision {@code p}.
     *
     * @throws IllegalArgumentException when {@code p} is not offered or {@code j} is out of range
     */
    public int option(int j, Precision p) {
        int k = precisions.indexOf(p);
        if (k < 0 || j < 0 || j >= sparsities.length) {
            throw new IllegalArgumentException("BlockOptions: no option at sparsity index " + j + " in " + p.label()
                    + " (precisions " + labels() + ", " + sparsities.length + " sparsities)");
        }
        return k * sparsities.length + j;
    }

    /** Option {@code o} in words: {@code s0.40 fp32}. */
    public String label(int o) {
        return String.format(Locale.ROOT, "s%.2f %s", sparsity(o), precision(o).label());
    }

    /** The precisions' labels, e.g. {@code [fp32, int8]}. */
    public List<String> labels() {
        return precisions.stream().map(Precision::label).toList();
    }

    private void check(int o) {
        if (o < 0 || o >= count()) {
            throw new IllegalArgumentException("BlockOptions: no option " + o + " (options 0.." + (count() - 1) + ")");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BlockOptions b && Arrays.equals(sparsities, b.sparsities)
                && precisions.equals(b.precisions);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sparsities) + precisions.hashCode();
    }

    @Override
    public String toString() {
        return "BlockOptions" + Arrays.toString(sparsities) + " x " + labels();
    }
}
