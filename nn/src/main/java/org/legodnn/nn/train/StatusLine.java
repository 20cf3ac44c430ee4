package org.legodnn.nn.train;

import java.io.PrintStream;

/**
 * The one way this project shows progress: on a terminal a single status line redrawn in place with
 * {@code \r} (at most every 150 ms), with lines worth keeping printed above it; when the stream is a file or
 * a pipe, where {@code \r} would leave a mess, plain lines — the status at most every {@code interval}.
 * {@link ProgressBar} (training) and {@link TaskBar} (the offline stages, sweeps) both draw through it.
 */
public final class StatusLine {

    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 150_000_000L;

    private final PrintStream out;
    private final boolean live;
    private final long intervalNanos;

    private long lastShown;
    private int width;        // characters of the live line now on screen (0: none)
    private String status;    // the live line now on screen, redrawn after a kept line

    /**
     * @param live            redraw one line in place (only for a terminal)
     * @param intervalSeconds in plain mode, the least time between two status lines
     */
    public StatusLine(PrintStream out, boolean live, double intervalSeconds) {
        this.out = out;
        this.live = live;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.lastShown = System.nanoTime();
    }

    /** Whether the line is redrawn in place (a terminal) rather than printed as plain lines. */
    public boolean live() {
        return live;
    }

    /** Starts the clock of the plain-mode interval afresh (a new task or epoch begins). */
    public synchronized void restart() {
        lastShown = System.nanoTime();
    }

    /**
     * Shows {@code text} as the status: redrawn in place when live (unless the last redraw is under 150 ms old
     * and {@code force} is false), else printed as a line when {@code force} or the interval has passed.
     */
    public synchronized void show(String text, boolean force) {
        long now = System.nanoTime();
        if (live) {
            if (!force && now - lastShown < REDRAW_NANOS) {
                return;
            }
            draw(text);
        } else if (force || now - lastShown >= intervalNanos) {
            out.println(text);
            out.flush();
        } else {
            return;
        }
        lastShown = now;
    }

    /** Prints a line to keep; when live, above the status, which is drawn again below it. */
    public synchronized void print(String line) {
        if (live && width > 0) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())) + System.lineSeparator());
            width = 0;
            if (status != null) {
                draw(status);
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Replaces the status with a line to keep and shows no status until the next {@link #show}. */
    public synchronized void finish(String line) {
        if (live) {
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())) + System.lineSeparator());
        } else {
            out.println(line);
        }
        out.flush();
        width = 0;
        status = null;
    }

    /** Erases the live status (so that another stream can print on the terminal); the next {@link #show} redraws it. */
    public synchronized void clear() {
        if (live && width > 0) {
            out.print("\r" + " ".repeat(width) + "\r");
            out.flush();
        }
        width = 0;
        status = null;
    }

    private void draw(String text) {
        out.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
        out.flush();
        width = text.length();
        status = text;
    }

    /** "[=========>     ] " for {@code done} of {@code total}. */
    public static String bar(long done, long total) {
        int filled = total <= 0 ? BAR : (int) Math.min(BAR, BAR * done / total);
        return "[" + "=".repeat(filled) + (filled < BAR ? ">" : "") + " ".repeat(Math.max(0, BAR - filled - 1)) + "] ";
    }

    /** "0:42", "12:03", "1:02:03". */
    public static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        long h = s / 3600;
        long m = (s / 60) % 60;
        long sec = s % 60;
        return h > 0 ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(java.util.Locale.ROOT, "%d:%02d", m, sec);
    }
}
