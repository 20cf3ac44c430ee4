package org.legodnn.core.online;

import java.util.Arrays;
import java.util.Locale;

/**
 * What one switch did and cost, for logs, the demo and the paper's switching-overhead figures.
 *
 * @param before             the selection live before the switch (empty for the switcher's first composition)
 * @param after              the selection live after it
 * @param swapMillis         wall time from the call to the new composition being live and the old
 *                           descendants dropped, in milliseconds
 * @param bytesLoaded        bytes read from storage for descendants that were not loaded
 * @param descendantsLoaded  descendants fetched from the source (free for one that keeps all in memory)
 * @param descendantsReused  descendants that were already loaded (selected before, or preloaded)
 * @param descendantsDropped descendants no longer kept loaded afterwards
 */
public record SwitchReport(int[] before, int[] after, double swapMillis, long bytesLoaded, int descendantsLoaded,
                           int descendantsReused, int descendantsDropped) {

    public SwitchReport {
        before = before.clone();
        after = after.clone();
    }

    @Override
    public int[] before() {
        return before.clone();
    }

    @Override
    public int[] after() {
        return after.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwitchReport r && Arrays.equals(before, r.before) && Arrays.equals(after, r.after)
                && swapMillis == r.swapMillis && bytesLoaded == r.bytesLoaded && descendantsLoaded == r.descendantsLoaded
                && descendantsReused == r.descendantsReused && descendantsDropped == r.descendantsDropped;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(after) * 31 + Long.hashCode(bytesLoaded);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "switch %s -> %s in %.3f ms: loaded %d (%d bytes), reused %d, dropped %d",
                Arrays.toString(before), Arrays.toString(after), swapMillis, descendantsLoaded, bytesLoaded,
                descendantsReused, descendantsDropped);
    }
}
