package org.legodnn.demo;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.legodnn.core.online.ServingPlan;
import org.legodnn.core.online.UpdateResult;
import org.legodnn.tensor.io.AtomicWrite;

/**
 * Writes the demo's machine-readable report ({@code report.json}), so that a run can be compared with another
 * or plotted elsewhere; written to a temporary file and renamed, so a crash never leaves half a report.
 */
public final class DemoReport {

    /** The {@code format} field of every report. */
    public static final String FORMAT = "legodnn-demo-report";

    private DemoReport() {
    }

    /** The JSON object of one table row. */
    public static Map<String, Object> row(DemoRow r) {
        UpdateResult u = r.update();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("budget", r.budget().label());
        o.put("latency_budget_ms", finite(r.budget().latencyMs()));
        o.put("memory_budget_bytes", finite(r.budget().memoryBytes()));
        List<Double> sel = new ArrayList<>();
        for (double s : u.sparsities()) {
            sel.add(s);
        }
        o.put("selection", sel);
        o.put("estimated_accuracy", u.estimatedAccuracy());
        o.put("measured_accuracy", r.measuredAccuracy());
        o.put("accuracy_gap_points", r.accuracyGapPoints());
        o.put("estimated_latency_ms", u.latencyMs());
        o.put("measured_latency_ms", r.measuredLatency().medianMs());
        o.put("measured_latency_p10_ms", r.measuredLatency().p10Ms());
        o.put("measured_latency_p90_ms", r.measuredLatency().p90Ms());
        o.put("memory_bytes", Math.round(u.memoryBytes()));
        o.put("relaxed", u.relaxed());
        o.put("solve_ms", u.solveMs());
        o.put("swap_ms", u.swapMs());
        o.put("bytes_loaded", u.bytesSwapped());
        return o;
    }

    /** The JSON object of the live-switching drill. */
    /** The load section: the budget, the samples over time and the slowdowns the runtime planned for. */
    public static Map<String, Object> load(LoadDrill.Report r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("budget_ms", r.budgetMs());
        o.put("load_seconds", r.loadSeconds());
        o.put("load_threads", r.loadThreads());
        List<Object> samples = new ArrayList<>();
        for (LoadDrill.Sample s : r.samples()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t_s", s.atSeconds());
            m.put("load", s.loaded());
            m.put("median_ms", Double.isNaN(s.medianMs()) ? null : s.medianMs());
            m.put("selection", BudgetSweep.label(s.selection()));
            samples.add(m);
        }
        o.put("samples", samples);
        List<Double> slowdowns = new ArrayList<>();
        for (ServingPlan p : r.plans()) {
            slowdowns.add(p.slowdown());
        }
        o.put("planned_slowdowns", slowdowns);
        return o;
    }

    public static Map<String, Object> drill(LiveSwitchDrill.Report d, int threads) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("inference_threads", threads);
        o.put("seconds", d.seconds());
        o.put("inferences", d.inferences());
        o.put("checked", d.checked());
        o.put("mismatches", d.mismatches());
        List<Object> switches = new ArrayList<>();
        for (UpdateResult u : d.updates()) {
            Map<String, Object> s = new LinkedHashMap<>();
            List<Double> sel = new ArrayList<>();
            for (double x : u.sparsities()) {
                sel.add(x);
            }
            s.put("selection", sel);
            s.put("swap_ms", u.swapMs());
            s.put("bytes_loaded", u.bytesSwapped());
            s.put("descendants_loaded", u.swap().descendantsLoaded());
            s.put("descendants_reused", u.swap().descendantsReused());
            switches.add(s);
        }
        o.put("switches", switches);
        return o;
    }

    /** Writes {@code report} as pretty JSON to {@code file}, atomically. */
    public static void write(Map<String, Object> report, Path file) throws IOException {
        byte[] text = (JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(report) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        AtomicWrite.write(file, out -> out.write(text));
    }

    /** JSON has no infinity: an unconstrained budget is written as null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
