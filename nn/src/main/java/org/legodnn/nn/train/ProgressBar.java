package org.legodnn.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress for people: on a terminal a single line redrawn in place with {@code \r} (bar, loss,
 * accuracy, images/s, time left in the epoch); when the output is a file or a pipe, where {@code \r} would
 * leave a mess, a plain line at most every {@code interval}. Either way one summary line per epoch. Drawn
 * through {@link StatusLine}, as every other progress display, and like them on standard error
 * ({@link #forStderr}), so that standard output carries only a command's results.
 */
public final class ProgressBar implements Progress {

    private final StatusLine status;
    private final String metric;

    private int epoch;
    private int epochs;
    private int batches;
    private long start;
    private int epochsDone;
    private double secondsDone;

    /**
     * @param live            redraw one line in place (only for a terminal)
     * @param intervalSeconds in plain mode, the least time between two progress lines
     */
    public ProgressBar(PrintStream out, boolean live, double intervalSeconds) {
        this(out, live, intervalSeconds, "acc");
    }

    /** As above, naming the task's metric in the running line ({@code mIoU}, {@code mAP50}) instead of "acc". */
    public ProgressBar(PrintStream out, boolean live, double intervalSeconds, String metric) {
        this.status = new StatusLine(out, live, intervalSeconds);
        this.metric = metric;
    }

    /**
     * Progress on standard error, as {@link TaskBar#forStderr}: a live bar when the JVM has a terminal
     * ({@code System.console() != null}), else a plain line at most every 30 s and one per epoch; {@code metric}
     * names the running training metric.
     */
    public static ProgressBar forStderr(String metric) {
        return new ProgressBar(System.err, System.console() != null, 30, metric);
    }

    @Override
    public void epochStart(int epoch, int epochs, int batches, int samples) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
        this.start = System.nanoTime();
        status.restart();
    }

    @Override
    public void step(int batch, int samples, double loss, double accuracy) {
        boolean last = batch == batches;
        if (status.live()) {
            status.show(line(batch, samples, loss, accuracy, true), last);
        } else if (!last) { // the epoch's summary line follows at once
            status.show(line(batch, samples, loss, accuracy, false), false);
        }
    }

    private String line(int batch, int samples, double loss, double accuracy, boolean bar) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = seconds > 0 ? samples / seconds : 0;
        double eta = batch > 0 ? seconds / batch * (batches - batch) : 0;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "epoch %d/%d ", epoch + 1, epochs));
        if (bar) {
            sb.append(StatusLine.bar(batch, batches));
        }
        sb.append(String.format(Locale.ROOT, "%d/%d  loss %.4f", batch, batches, loss));
        if (!Double.isNaN(accuracy)) { // NaN: no training metric (one-class data has no anomalies to rank)
            sb.append(String.format(Locale.ROOT, "  %s %.2f%%", metric, 100 * accuracy));
        }
        sb.append(String.format(Locale.ROOT, "  %.0f img/s  ETA %s", rate, duration(eta)));
        return sb.toString();
    }

    @Override
    public void evaluating() {
        if (status.live()) {
            status.show(String.format(Locale.ROOT, "epoch %d/%d  evaluating on the test set...", epoch + 1, epochs), true);
        }
    }

    @Override
    public void epochEnd(EpochResult r) {
        epochsDone++;
        secondsDone += (System.nanoTime() - start) / 1e9;
        double left = secondsDone / epochsDone * (r.epochs() - r.epoch() - 1);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", r.epoch() + 1,
                r.epochs(), r.loss()));
        if (!Double.isNaN(r.trainAccuracy())) {
            sb.append(String.format(Locale.ROOT, "  train %.2f%%", 100 * r.trainAccuracy()));
        }
        if (r.testSamples() > 0) {
            sb.append(String.format(Locale.ROOT, "  test %.2f%%", 100 * r.testAccuracy()));
        }
        sb.append(String.format(Locale.ROOT, "  lr %.5f  %.0f img/s  %s", r.lr(), r.imagesPerSecond(), duration(r.seconds())));
        if (r.epoch() + 1 < r.epochs()) {
            sb.append("  ETA ").append(duration(left));
        }
        status.finish(sb.toString());
    }

    /** "0:42", "12:03", "1:02:03". */
    static String duration(double seconds) {
        return StatusLine.duration(seconds);
    }
}
