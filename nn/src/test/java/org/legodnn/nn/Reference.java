package org.legodnn.nn;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.legodnn.tensor.Shapes;
import org.legodnn.tensor.Tensor;
import org.legodnn.testing.ReferenceData;

/**
 * Where the PyTorch reference data lives for the nn tests, and the two comparisons they use, so that every
 * test states its tolerance the same way.
 */
public final class Reference {

    private Reference() {
    }

    /** The parsed {@code MANIFEST.json}. */
    public static Map<String, Object> manifest() throws IOException {
        return JSON.std.mapFrom(Files.readString(ReferenceData.pytorch().resolve("MANIFEST.json")));
    }

    /** The manifest entry of section {@code section} (e.g. "models") named {@code name}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> manifestEntry(String section, String name) throws IOException {
        for (Object o : (List<Object>) manifest().get(section)) {
            Map<String, Object> entry = (Map<String, Object>) o;
            if (name.equals(entry.get("name"))) {
                return entry;
            }
        }
        throw new IllegalStateException("MANIFEST.json has no " + section + " entry named " + name);
    }

    /** max |a − e| after checking shapes. */
    public static double maxAbsError(Tensor actual, Tensor expected, String what) {
        requireSameShape(actual, expected, what);
        double max = 0;
        float[] a = actual.data();
        float[] e = expected.data();
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - e[i]);
            if (!(d <= max)) {
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }

    /** max |a − e| / max(floor, |e|): a relative error that turns absolute below {@code floor}. */
    public static double maxRelError(Tensor actual, Tensor expected, double floor, String what) {
        requireSameShape(actual, expected, what);
        double max = 0;
        float[] a = actual.data();
        float[] e = expected.data();
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - e[i]) / Math.max(floor, Math.abs((double) e[i]));
            if (!(d <= max)) {
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }

    private static void requireSameShape(Tensor actual, Tensor expected, String what) {
        if (!actual.sameShape(expected.shape())) {
            throw new AssertionError(what + ": shape " + Shapes.format(actual.shape()) + ", expected "
                    + Shapes.format(expected.shape()));
        }
    }
}
