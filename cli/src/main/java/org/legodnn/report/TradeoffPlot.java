package org.legodnn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The picture of the demo report, because a trade-off is read at a glance and not from a table: two panels,
 * accuracy (%) against latency (ms) and against memory (MiB), every composition a grey dot, the
 * {@link ParetoFront} of each cost a connected line, the chosen compositions highlighted and, where one was
 * measured, its measured accuracy joined to the estimate by a short vertical line; optionally a narrower choice's
 * front dashed beneath ({@link Baseline}).
 *
 * <p>Drawn with java.awt on a {@link BufferedImage} in headless mode (no display needed; the property
 * {@code java.awt.headless} is set to {@code true} unless the caller set it) and written by
 * {@link javax.imageio.ImageIO}, so it needs the JDK's {@code java.desktop} module and nothing else.
 */
public final class TradeoffPlot {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Image width in pixels. */
    public static final int WIDTH = 1400;
    /** Image height in pixels. */
    public static final int HEIGHT = 600;

    private static final int TITLE_BASELINE = 32;
    private static final int LEGEND_BASELINE = 62;
    private static final int PANEL_TOP = 110;
    private static final int PANEL_BOTTOM = HEIGHT - 70;
    private static final int PANEL_LEFT_MARGIN = 85;
    private static final int PANEL_RIGHT_MARGIN = 35;
    private static final int TARGET_TICKS = 6;
    private static final int TICK_LENGTH = 5;

    private static final Color GRID = new Color(0xE6E6E6);
    private static final Color FRAME = new Color(0x444444);
    private static final Color TEXT = new Color(0x222222);
    private static final Color ALL_POINTS = new Color(0xA0A0A0);
    private static final Color FRONT = new Color(0x1F77B4);
    private static final Color CHOSEN = new Color(0xFF7F0E);
    private static final Color MEASURED = new Color(0xD62728);
    private static final Color BASELINE = new Color(0x7F7F7F);

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font PANEL_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private TradeoffPlot() {}

    /**
     * A narrower choice's front to compare with, drawn dashed under the full front (e.g. the fp32-only front of a
     * store that also offers int8), so the plot shows what the wider choice gains.
     *
     * @param name   its legend entry
     * @param points its compositions (only their Pareto front is drawn)
     */
    public record Baseline(String name, List<TradeoffPoint> points) {
        public Baseline {
            Objects.requireNonNull(name, "name");
            points = List.copyOf(points);
        }
    }

    /**
     * Draws {@code points} and writes the PNG to {@code png} atomically: the image goes to a temporary file
     * beside it, which is then moved into place, so a reader never sees half a file. Creates the directory
     * if needed.
     *
     * @throws IllegalArgumentException when {@code points} is empty
     * @throws IOException when the file cannot be written
     */
    public static void write(List<TradeoffPoint> points, String title, Path png) throws IOException {
        write(points, title, "accuracy", png);
    }

    /**
     * {@link #write(List, String, Path)} with the y axis named {@code metric} (e.g. {@code mIoU}) instead of
     * "accuracy": the points then hold that metric as a fraction.
     */
    public static void write(List<TradeoffPoint> points, String title, String metric, Path png) throws IOException {
        write(points, null, title, metric, png);
    }

    /** {@link #write(List, String, String, Path)} with {@code baseline}'s front drawn dashed (null: none). */
    public static void write(List<TradeoffPoint> points, Baseline baseline, String title, String metric, Path png)
            throws IOException {
        BufferedImage image = render(points, baseline, title, metric);
        Path target = png.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            writePng(image, tmp);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Draws {@code points} on a new {@link #WIDTH}×{@link #HEIGHT} image; {@link #write} saves it.
     *
     * @throws IllegalArgumentException when {@code points} is empty
     */
    public static BufferedImage render(List<TradeoffPoint> points, String title) {
        return render(points, title, "accuracy");
    }

    /** {@link #render(List, String)} with the y axis named {@code metric}. */
    public static BufferedImage render(List<TradeoffPoint> points, String title, String metric) {
        return render(points, null, title, metric);
    }

    /** {@link #render(List, String, String)} with {@code baseline}'s front drawn dashed (null: none). */
    public static BufferedImage render(List<TradeoffPoint> points, Baseline baseline, String title, String metric) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(metric, "metric");
        if (points.isEmpty()) {
            throw new IllegalArgumentException(
                    "TradeoffPlot: no points to draw; expected at least one composition (accuracy, latency, memory)");
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            setUp(g);
            drawCentered(g, title, TITLE_FONT, WIDTH / 2, TITLE_BASELINE);
            drawLegend(g, points, baseline);
            List<TradeoffPoint> all = new ArrayList<>(points);
            if (baseline != null) {
                all.addAll(baseline.points());
            }
            Axis accuracy = accuracyAxis(all);
            int half = WIDTH / 2;
            drawPanel(g, panelArea(0), points, baseline, Series.LATENCY, accuracy, metric);
            drawPanel(g, panelArea(half), points, baseline, Series.MEMORY, accuracy, metric);
        } finally {
            g.dispose();
        }
        return image;
    }

    // ---- the two panels -------------------------------------------------------------------------------

    /** What one panel puts on its x axis: the title and the value of a point in the axis's unit. */
    private record Series(String name, String axisTitle, ToDoubleFunction<TradeoffPoint> x) {
        static final Series LATENCY = new Series("latency", "latency (ms)", TradeoffPoint::latencyMs);
        static final Series MEMORY = new Series("memory", "memory (MiB)", TradeoffPoint::memoryMiB);
    }

    /** The plotting rectangle of the panel whose left edge is {@code panelLeft}. */
    private static Rectangle panelArea(int panelLeft) {
        int left = panelLeft + PANEL_LEFT_MARGIN;
        int width = WIDTH / 2 - PANEL_LEFT_MARGIN - PANEL_RIGHT_MARGIN;
        return new Rectangle(left, PANEL_TOP, width, PANEL_BOTTOM - PANEL_TOP);
    }

    private static void drawPanel(Graphics2D g, Rectangle area, List<TradeoffPoint> points, Baseline baseline,
                                  Series series, Axis y, String metric) {
        List<TradeoffPoint> front = ParetoFront.of(points, series.x());
        List<Double> xs = values(points, series.x());
        if (baseline != null) {
            xs.addAll(values(baseline.points(), series.x()));
        }
        Axis x = Axis.covering(xs);
        String heading = metric + " vs " + series.name() + "  (front: " + front.size() + " of " + points.size() + ")";
        drawCentered(g, heading, PANEL_FONT, area.x + area.width / 2, area.y - 12);
        drawGridAndTicks(g, area, x, y);
        drawAxisTitles(g, area, series.axisTitle(), metric + " (%)");
        Plotter at = new Plotter(area, x, y, series.x());
        for (TradeoffPoint p : points) {
            dot(g, at.px(p), at.py(p.accuracy()));
        }
        if (baseline != null) {
            drawBaseline(g, at, ParetoFront.of(baseline.points(), series.x()));
        }
        drawFront(g, at, front);
        drawChosenAndMeasured(g, at, points);
    }

    /** The baseline's front: a dashed grey line, under the full front. */
    private static void drawBaseline(Graphics2D g, Plotter at, List<TradeoffPoint> front) {
        Path2D.Double line = polyline(at, front);
        g.setColor(BASELINE);
        withStroke(g, dashed(), () -> g.draw(line));
    }

    /** The line through {@code front}'s points, in order. */
    private static Path2D.Double polyline(Plotter at, List<TradeoffPoint> front) {
        Path2D.Double line = new Path2D.Double();
        for (TradeoffPoint p : front) {
            if (line.getCurrentPoint() == null) {
                line.moveTo(at.px(p), at.py(p.accuracy()));
            } else {
                line.lineTo(at.px(p), at.py(p.accuracy()));
            }
        }
        return line;
    }

    private static Stroke dashed() {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f);
    }

    /** Maps a point's values to pixels inside one panel. */
    private record Plotter(Rectangle area, Axis x, Axis y, ToDoubleFunction<TradeoffPoint> value) {
        double px(TradeoffPoint p) {
            return area.x + x.fraction(value.applyAsDouble(p)) * area.width;
        }

        /** The pixel row of an accuracy given as a fraction. */
        double py(double accuracy) {
            return area.y + area.height - y.fraction(100 * accuracy) * area.height;
        }
    }

    private static void drawFront(Graphics2D g, Plotter at, List<TradeoffPoint> front) {
        Path2D.Double line = polyline(at, front);
        g.setColor(FRONT);
        withStroke(g, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND), () -> g.draw(line));
        for (TradeoffPoint p : front) {
            frontMarker(g, at.px(p), at.py(p.accuracy()));
        }
    }

    /** Chosen compositions over everything else; a measured accuracy (of any point) with its link. */
    private static void drawChosenAndMeasured(Graphics2D g, Plotter at, List<TradeoffPoint> points) {
        for (TradeoffPoint p : points) {
            double x = at.px(p);
            double estimate = at.py(p.accuracy());
            if (p.isMeasured()) {
                double measured = at.py(p.measuredAccuracy());
                g.setColor(MEASURED);
                withStroke(g, new BasicStroke(1.5f), () -> g.draw(new Line2D.Double(x, estimate, x, measured)));
                measuredMarker(g, x, measured);
            }
            if (p.chosen()) {
                chosenMarker(g, x, estimate);
            }
        }
    }

    // ---- axes ---------------------------------------------------------------------------------------

    /** One accuracy axis (in %) for both panels, covering estimates and measurements, so they compare. */
    private static Axis accuracyAxis(List<TradeoffPoint> points) {
        List<Double> percent = new ArrayList<>();
        for (TradeoffPoint p : points) {
            percent.add(100 * p.accuracy());
            if (p.isMeasured()) {
                percent.add(100 * p.measuredAccuracy());
            }
        }
        return Axis.covering(percent);
    }

    private static List<Double> values(List<TradeoffPoint> points, ToDoubleFunction<TradeoffPoint> f) {
        List<Double> out = new ArrayList<>(points.size());
        for (TradeoffPoint p : points) {
            out.add(f.applyAsDouble(p));
        }
        return out;
    }

    /**
     * A linear axis from {@code min} to {@code max} with ticks every {@code step}, where min and max are
     * multiples of a "nice" step (1, 2 or 5 times a power of ten) and {@code max > min} always.
     */
    record Axis(double min, double max, double step) {

        /** The smallest nice axis around {@code values} with a little room at both ends. */
        static Axis covering(List<Double> values) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            return around(lo, hi);
        }

        /**
         * A nice axis around [lo, hi] with 4% of room at both ends; a zero range (one point, or all values
         * equal) gets 5% of the value, or 1 around zero, so nothing divides by zero. An axis over values
         * that are all non-negative does not start below zero.
         */
        static Axis around(double lo, double hi) {
            boolean nonNegative = lo >= 0;
            double pad = hi > lo ? 0.04 * (hi - lo) : lo == 0 ? 1 : Math.abs(lo) * 0.05;
            lo -= pad;
            hi += pad;
            double step = niceStep((hi - lo) / TARGET_TICKS);
            double min = Math.floor(lo / step) * step;
            double max = Math.ceil(hi / step) * step;
            return new Axis(nonNegative && min < 0 ? 0 : min, max, step);
        }

        /** 1, 2 or 5 times a power of ten, the one nearest {@code raw} (Heckbert's "nice numbers"). */
        static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            double nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
            return nice * magnitude;
        }

        /** Where {@code v} lies along the axis: 0 at min, 1 at max. */
        double fraction(double v) {
            return (v - min) / (max - min);
        }

        /** The tick values, min to max inclusive, with float noise near zero removed. */
        List<Double> ticks() {
            int n = (int) Math.round((max - min) / step);
            List<Double> ticks = new ArrayList<>(n + 1);
            for (int i = 0; i <= n; i++) {
                double v = min + i * step;
                ticks.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
            }
            return ticks;
        }

        /** A tick label with as many decimals as the step needs, and no more. */
        String label(double v) {
            int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }

    private static void drawGridAndTicks(Graphics2D g, Rectangle area, Axis x, Axis y) {
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        int bottom = area.y + area.height;
        for (double v : x.ticks()) {
            int px = (int) Math.round(area.x + x.fraction(v) * area.width);
            g.setColor(GRID);
            g.drawLine(px, area.y, px, bottom);
            g.setColor(FRAME);
            g.drawLine(px, bottom, px, bottom + TICK_LENGTH);
            String text = x.label(v);
            g.setColor(TEXT);
            g.drawString(text, px - fm.stringWidth(text) / 2, bottom + TICK_LENGTH + fm.getAscent() + 2);
        }
        for (double v : y.ticks()) {
            int py = (int) Math.round(bottom - y.fraction(v) * area.height);
            g.setColor(GRID);
            g.drawLine(area.x, py, area.x + area.width, py);
            g.setColor(FRAME);
            g.drawLine(area.x - TICK_LENGTH, py, area.x, py);
            String text = y.label(v);
            g.setColor(TEXT);
            g.drawString(text, area.x - TICK_LENGTH - 4 - fm.stringWidth(text), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(FRAME);
        g.drawRect(area.x, area.y, area.width, area.height);
    }

    private static void drawAxisTitles(Graphics2D g, Rectangle area, String xTitle, String yTitle) {
        drawCentered(g, xTitle, LABEL_FONT, area.x + area.width / 2, area.y + area.height + 48);
        AffineTransform saved = g.getTransform();
        g.translate(area.x - 58, area.y + area.height / 2.0);
        g.rotate(-Math.PI / 2);
        drawCentered(g, yTitle, LABEL_FONT, 0, 0);
        g.setTransform(saved);
    }

    // ---- legend and markers -------------------------------------------------------------------------

    /** One row under the title; the chosen and measured entries only when such points exist. */
    private static void drawLegend(Graphics2D g, List<TradeoffPoint> points, Baseline baseline) {
        boolean anyChosen = points.stream().anyMatch(TradeoffPoint::chosen);
        boolean anyMeasured = points.stream().anyMatch(TradeoffPoint::isMeasured);
        List<String> names = new ArrayList<>(List.of("composition", "Pareto front"));
        if (baseline != null) {
            names.add(baseline.name());
        }
        if (anyChosen) {
            names.add("chosen (estimated)");
        }
        if (anyMeasured) {
            names.add("measured");
        }
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        int swatch = 28;
        int gap = 26;
        int total = 0;
        for (String name : names) {
            total += swatch + 6 + fm.stringWidth(name) + gap;
        }
        int x = (WIDTH - total + gap) / 2;
        int cy = LEGEND_BASELINE - fm.getAscent() / 2 + 1;
        for (String name : names) {
            if (baseline != null && name.equals(baseline.name())) {
                int left = x;
                g.setColor(BASELINE);
                withStroke(g, dashed(), () -> g.draw(new Line2D.Double(left, cy, left + swatch, cy)));
            } else {
                legendSwatch(g, name, x, x + swatch, cy);
            }
            g.setColor(TEXT);
            g.drawString(name, x + swatch + 6, LEGEND_BASELINE);
            x += swatch + 6 + fm.stringWidth(name) + gap;
        }
    }

    private static void legendSwatch(Graphics2D g, String name, int left, int right, int cy) {
        double mid = (left + right) / 2.0;
        switch (name) {
            case "composition" -> dot(g, mid, cy);
            case "Pareto front" -> {
                g.setColor(FRONT);
                withStroke(g, new BasicStroke(2f), () -> g.draw(new Line2D.Double(left, cy, right, cy)));
                frontMarker(g, mid, cy);
            }
            case "chosen (estimated)" -> chosenMarker(g, mid, cy);
            default -> {
                g.setColor(MEASURED);
                withStroke(g, new BasicStroke(1.5f), () -> g.draw(new Line2D.Double(mid, cy - 9, mid, cy + 2)));
                measuredMarker(g, mid, cy + 2);
            }
        }
    }

    private static void dot(Graphics2D g, double x, double y) {
        g.setColor(ALL_POINTS);
        g.fill(circle(x, y, 2.5));
    }

    private static void frontMarker(Graphics2D g, double x, double y) {
        g.setColor(FRONT);
        g.fill(circle(x, y, 3.5));
    }

    private static void chosenMarker(Graphics2D g, double x, double y) {
        Ellipse2D.Double c = circle(x, y, 6.5);
        g.setColor(CHOSEN);
        g.fill(c);
        g.setColor(Color.BLACK);
        withStroke(g, new BasicStroke(1.2f), () -> g.draw(c));
    }

    /** A filled diamond, so a measurement reads differently from an estimate even without colour. */
    private static void measuredMarker(Graphics2D g, double x, double y) {
        double r = 6;
        Path2D.Double d = new Path2D.Double();
        d.moveTo(x, y - r);
        d.lineTo(x + r, y);
        d.lineTo(x, y + r);
        d.lineTo(x - r, y);
        d.closePath();
        g.setColor(MEASURED);
        g.fill(d);
        g.setColor(Color.BLACK);
        withStroke(g, new BasicStroke(1f), () -> g.draw(d));
    }

    private static Ellipse2D.Double circle(double x, double y, double r) {
        return new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
    }

    // ---- drawing and file plumbing ------------------------------------------------------------------

    private static void setUp(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
    }

    private static void drawCentered(Graphics2D g, String text, Font font, double cx, double baseline) {
        g.setFont(font);
        g.setColor(TEXT);
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, (float) (cx - w / 2.0), (float) baseline);
    }

    private static void withStroke(Graphics2D g, Stroke stroke, Runnable draw) {
        Stroke saved = g.getStroke();
        g.setStroke(stroke);
        draw.run();
        g.setStroke(saved);
    }

    /**
     * PNG bytes to a new {@code file}, forced to disk so the rename that follows never exposes an empty
     * file. Created like any new file (the umask's permissions), not owner-only as a temp file would be.
     */
    private static void writePng(BufferedImage image, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(channel)) {
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", ios)) {
                    throw new IOException("TradeoffPlot: this JDK has no PNG writer (javax.imageio)");
                }
            }
            out.flush();
            channel.force(true);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
