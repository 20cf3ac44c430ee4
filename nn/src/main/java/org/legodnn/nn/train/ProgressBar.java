package org.legodnn.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress for people: on a terminal a single line redrawn in place with {@code \r} (bar, loss,
 * accuracy, images/s, time left in the epoch); when the output is a file or a pipe, where {@code \r} would
 * leave a mess, a plain line at most every {@code interval}. Either way one summary line per epoch.
 */
public final class ProgressBar implements Progress {

    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 150_000_000L;

    private final PrintStream out;
    private final boolean live;
    private final long intervalNanos;

    private int epoch;
    private int epochs;
    private int batches;
    private long start;
    private long lastDraw;
    private int lastWidth;
    private int epochsDone;
    private double secondsDone;

    /**
     * @param live            redraw one line in place (only for a terminal)
     * @param intervalSeconds in plain mode, the least time between two progress lines
     */
    public ProgressBar(PrintStream out, boolean live, double intervalSeconds) {
        this.out = out;
        this.live = live;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /** A live bar when standard output is a terminal ({@code System.console() != null}), else a line every 30 s. */
    public static ProgressBar forStdout() {
        return new ProgressBar(System.out, System.console() != null, 30);
    }

    @Override
    public void epochStart(int epoch, int epochs, int batches, int samples) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
        this.start = System.nanoTime();
        this.lastDraw = start;
        this.lastWidth = 0;
    }

    @Override
    public void step(int batch, int samples, double loss, double accuracy) {
        long now = System.nanoTime();
        boolean last = batch == batches;
        if (live) {
            if (now - lastDraw < REDRAW_NANOS && !last) {
                return;
            }
            lastDraw = now;
            String line = line(batch, samples, loss, accuracy, now, true);
            int pad = Math.max(0, lastWidth - line.length());
            out.print("\r" + line + " ".repeat(pad));
            out.flush();
            lastWidth = line.length();
        } else if (now - lastDraw >= intervalNanos && !last) {
            lastDraw = now;
            out.println(line(batch, samples, loss, accuracy, now, false));
        }
    }

    private String line(int batch, int samples, double loss, double accuracy, long now, boolean bar) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? samples / seconds : 0;
        double eta = batch > 0 ? seconds / batch * (batches - batch) : 0;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "epoch %d/%d ", epoch + 1, epochs));
        if (bar) {
            int filled = batches == 0 ? BAR : (int) ((long) BAR * batch / batches);
            sb.append('[').append("=".repeat(filled)).append(filled < BAR ? ">" : "")
                    .append(" ".repeat(Math.max(0, BAR - filled - 1))).append("] ");
        }
        sb.append(String.format(Locale.ROOT, "%d/%d  loss %.4f  acc %.2f%%  %.0f img/s  ETA %s",
                batch, batches, loss, 100 * accuracy, rate, duration(eta)));
        return sb.toString();
    }

    @Override
    public void evaluating() {
        if (live) {
            String line = String.format(Locale.ROOT, "epoch %d/%d  evaluating on the test set...", epoch + 1, epochs);
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            out.flush();
            lastWidth = line.length();
        }
    }

    @Override
    public void epochEnd(EpochResult r) {
        epochsDone++;
        secondsDone += (System.nanoTime() - start) / 1e9;
        double left = secondsDone / epochsDone * (r.epochs() - r.epoch() - 1);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d/%d  loss %.4f  train %.2f%%", r.epoch() + 1, r.epochs(), r.loss(), 100 * r.trainAccuracy()));
        if (r.testSamples() > 0) {
            sb.append(String.format(Locale.ROOT, "  test %.2f%%", 100 * r.testAccuracy()));
        }
        sb.append(String.format(Locale.ROOT, "  lr %.5f  %.0f img/s  %s", r.lr(), r.imagesPerSecond(), duration(r.seconds())));
        if (r.epoch() + 1 < r.epochs()) {
            sb.append("  ETA ").append(duration(left));
        }
        String line = sb.toString();
        if (live) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())) + System.lineSeparator());
        } else {
            out.println(line);
        }
        out.flush();
        lastWidth = 0;
    }

    /** "0:42", "12:03", "1:02:03". */
    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        long h = s / 3600;
        long m = (s / 60) % 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
