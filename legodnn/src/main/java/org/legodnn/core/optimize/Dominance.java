package org.legodnn.core.optimize;

/**
 * Drops the options of a block that no optimal composition needs: option {@code j} goes when another option
 * is no worse in cost (accuracy drop plus λ·switch bytes), latency and memory alike. Fewer options mean a
 * smaller search tree and tighter hulls. Exact ties keep the lower index, so the result is reproducible and
 * leans towards less pruned descendants.
 */
final class Dominance {

    private Dominance() {
    }

    /** The indices of the options that survive, ascending. */
    static int[] keep(double[] cost, double[] latency, double[] memory) {
        int k = cost.length;
        int[] kept = new int[k];
        int count = 0;
        for (int j = 0; j < k; j++) {
            if (!dominated(j, cost, latency, memory)) {
                kept[count++] = j;
            }
        }
        return java.util.Arrays.copyOf(kept, count);
    }

    /** Whether some other option is at least as good as {@code j} everywhere (and better somewhere, or earlier). */
    static boolean dominated(int j, double[] cost, double[] latency, double[] memory) {
        for (int o = 0; o < cost.length; o++) {
            if (o == j || cost[o] > cost[j] || latency[o] > latency[j] || memory[o] > memory[j]) {
                continue;
            }
            boolean equal = cost[o] == cost[j] && latency[o] == latency[j] && memory[o] == memory[j];
            if (!equal || o < j) {
                return true;
            }
        }
        return false;
    }
}
