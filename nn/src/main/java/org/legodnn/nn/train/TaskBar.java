package org.legodnn.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@link TaskProgress} for people, drawn through {@link StatusLine}: on a terminal one bar redrawn in place
 * ("retrain epoch 2/5 [=====>   ] 31/78  0:12, ETA 0:18") with the kept lines above it; in a log file plain
 * lines — the status at most every {@code interval} and one line when each task ends.
 */
public final class TaskBar implements TaskProgress {

    private final StatusLine status;
    private String task;
    private long total;
    private long done;
    private long start;

    /**
     * @param live            redraw one line in place (only for a terminal)
     * @param intervalSeconds in plain mode, the least time between two status lines of a task
     */
    public TaskBar(PrintStream out, boolean live, double intervalSeconds) {
        this.status = new StatusLine(out, live, intervalSeconds);
    }

    /**
     * Progress on standard error, so that standard output carries only results: a live bar when the JVM has a
     * terminal ({@code System.console() != null}), else a plain line at most every 30 s and when a task ends.
     */
    public static TaskBar forStderr() {
        return new TaskBar(System.err, System.console() != null, 30);
    }

    @Override
    public synchronized void begin(String task, long total) {
        finishTask();
        this.task = task;
        this.total = total;
        this.done = 0;
        this.start = System.nanoTime();
        status.restart();
        if (status.live()) {
            status.show(line(), true);
        }
    }

    @Override
    public synchronized void advance(long done) {
        if (task == null) {
            return;
        }
        this.done = done;
        boolean last = total > 0 && done >= total;
        if (status.live() || !last) { // in plain mode the task's last step is the line end() prints
            status.show(line(), last);
        }
    }

    @Override
    public synchronized void note(String line) {
        status.print(line);
    }

    @Override
    public synchronized void end() {
        finishTask();
    }

    /** Erases the live bar so that standard output can print on the terminal; the next step redraws it. */
    public synchronized void clear() {
        status.clear();
    }

    private void finishTask() {
        if (task == null) {
            return;
        }
        if (status.live()) {
            status.clear();
        } else {
            String steps = total > 0 ? " " + done + "/" + total : "";
            status.show(String.format(Locale.ROOT, "%s:%s done in %s", task, steps, StatusLine.duration(seconds())), true);
        }
        task = null;
    }

    private String line() {
        double seconds = seconds();
        StringBuilder sb = new StringBuilder(task).append(' ');
        if (total > 0) {
            if (status.live()) {
                sb.append(StatusLine.bar(done, total));
            }
            sb.append(done).append('/').append(total).append("  ");
        }
        sb.append(StatusLine.duration(seconds));
        if (total > 0 && done > 0 && done < total) {
            sb.append(", ETA ").append(StatusLine.duration(seconds / done * (total - done)));
        }
        return sb.toString();
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
