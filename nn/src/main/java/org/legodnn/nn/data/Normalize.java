package org.legodnn.nn.data;

import java.util.Arrays;

/**
 * Per-channel standardization, x' = (x − mean[c]) / std[c], as torchvision's {@code Normalize}: it centres
 * the inputs so that the first layer trains well, and a model must see at test time exactly the statistics
 * it was trained with (they are saved in the weights' metadata for that reason).
 */
public record Normalize(float[] mean, float[] std) {

    public Normalize {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means and " + std.length
                    + " standard deviations (expected one of each per channel)");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Normalize: standard deviation " + s + " must be > 0");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The same statistics for every one of {@code channels} channels. */
    public static Normalize uniform(int channels, float mean, float std) {
        float[] m = new float[channels];
        float[] s = new float[channels];
        Arrays.fill(m, mean);
        Arrays.fill(s, std);
        return new Normalize(m, s);
    }

    public int channels() {
        return mean.length;
    }

    /** Normalizes one CHW image of {@code channels()} planes of {@code plane} values at {@code x[offset]} in place. */
    public void apply(float[] x, int offset, int plane) {
        for (int c = 0; c < mean.length; c++) {
            float m = mean[c];
            float s = std[c];
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                x[base + i] = (x[base + i] - m) / s; // divide, as torchvision does, for bit-equal inputs
            }
        }
    }

    /** "m1,m2,..." for metadata. */
    public String meanString() {
        return join(mean);
    }

    /** "s1,s2,..." for metadata. */
    public String stdString() {
        return join(std);
    }

    /** Parses {@link #meanString()} and {@link #stdString()} back. */
    public static Normalize parse(String mean, String std) {
        return new Normalize(split(mean), split(std));
    }

    private static String join(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.toString();
    }

    private static float[] split(String s) {
        String[] parts = s.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Normalize: '" + s + "' is not a comma-separated list of numbers");
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalize n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
