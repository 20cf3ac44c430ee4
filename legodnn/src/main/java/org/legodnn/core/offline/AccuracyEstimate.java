package org.legodnn.core.offline;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How accurate a composition is expected to be, and how far off that expectation may be, so that a user who
 * exports a composition knows what measuring it should give before measuring it.
 *
 * <p>The estimate is LegoDNN's additive one, as the optimizer makes it: the teacher's profiled accuracy minus
 * every chosen descendant's profiled drop (a negative drop counted as 0). Drops do not add exactly — thinning two
 * blocks usually costs more, or less, than the sum of thinning each — so the estimate carries two stated errors,
 * both taken from the profile itself:
 * <ul>
 *   <li>{@code noise}: the largest |estimate − measured| among the compositions profiling evaluated (the three
 *       environments with one block varied, about a hundred) whose estimated drop is no larger than this one's
 *       plus one standard error of the teacher's profiled accuracy (drops closer than that cannot be told apart
 *       on the profile's images, and the statement then never rests on the teacher alone). A composition near
 *       the teacher is judged by the compositions near the teacher, not by the all-thinnest one where the
 *       additive model errs most. This is the error to expect when the composition is measured on the
 *       profiling images themselves.</li>
 *   <li>{@code sampling}: the 95% half-width of a binomial proportion over the profile's test images,
 *       1.96·√(a(1−a)/n); add it when measuring on other images (a different or larger test set).</li>
 * </ul>
 *
 * @param accuracy   the estimate (a fraction; the task's metric for other tasks)
 * @param noise      the stated error on the profiling images, as a fraction
 * @param sampling   the extra error on other images, as a fraction
 * @param testImages how many test images the profile measured on
 */
public record AccuracyEstimate(double accuracy, double noise, double sampling, int testImages) {

    /** The estimate and its errors for {@code selection} (descendant index per block) under {@code profiles}. */
    public static AccuracyEstimate of(Profiles profiles, int[] selection) {
        if (selection.length != profiles.blocks()) {
            throw new IllegalArgumentException("AccuracyEstimate: a selection of " + selection.length + " for "
                    + profiles.blocks() + " profiled blocks");
        }
        int n = profiles.testImages();
        double teacher = profiles.teacherAccuracy();
        double drop = drop(profiles, selection);
        double reach = drop + (n == 0 ? 1 : Math.sqrt(teacher * (1 - teacher) / n)) + 1e-12;
        double noise = 0;
        for (Map.Entry<List<Integer>, Double> e : profiles.tested().entrySet()) {
            double d = drop(profiles, e.getKey().stream().mapToInt(Integer::intValue).toArray());
            if (d <= reach) {
                noise = Math.max(noise, Math.abs(teacher - d - e.getValue()));
            }
        }
        double a = Math.min(1, Math.max(0, teacher - drop));
        double sampling = n == 0 ? 1 : 1.96 * Math.sqrt(a * (1 - a) / n);
        return new AccuracyEstimate(teacher - drop, noise, sampling, n);
    }

    /**
     * The sum of the selected descendants' profiled drops, each at least 0 as the optimizer counts them (a
     * negative drop, a thinner block that measured better, is test-set noise, see {@code StoreProblem}).
     */
    private static double drop(Profiles profiles, int[] selection) {
        double d = 0;
        for (int i = 0; i < selection.length; i++) {
            d += Math.max(0, profiles.row(i, selection[i]).accuracyDrop());
        }
        return d;
    }

    /** Whether {@code measured} on the profiling images is within the stated noise of the estimate. */
    public boolean agreesOnProfilingImages(double measured) {
        return Math.abs(measured - accuracy) <= noise + 1e-9;
    }

    /** Whether {@code measured} on other images is within the stated noise plus sampling error. */
    public boolean agreesOnOtherImages(double measured) {
        return Math.abs(measured - accuracy) <= noise + sampling + 1e-9;
    }

    /** "94.13% ± 0.83 points (± 1.46 more on images other than the profile's 1000)": percentage points. */
    public String describe() {
        return String.format(Locale.ROOT, "%.2f%% ± %.2f points (± %.2f more on images other than the profile's %d)",
                100 * accuracy, 100 * noise, 100 * sampling, testImages);
    }
}
