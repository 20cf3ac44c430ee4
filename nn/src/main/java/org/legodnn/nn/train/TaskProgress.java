package org.legodnn.nn.train;

import java.io.PrintStream;

/**
 * What a long job other than training (retraining blocks, profiling, a sweep of budgets) reports while it
 * runs — a task of so many steps, how far it is, and the lines worth keeping — so that how it is shown (a
 * live bar on a terminal, plain log lines, nothing in tests) is the caller's choice, as {@link Progress} is
 * for the {@link Trainer}.
 */
public interface TaskProgress {

    /** A task of {@code total} steps begins (0 or less: a task whose length is not known), ending the previous one. */
    void begin(String task, long total);

    /** {@code done} steps of the current task are finished. */
    void advance(long done);

    /** A line worth keeping (a per-block result, a stage's settings). */
    void note(String line);

    /** The current task is over. */
    default void end() {
    }

    /** Shows nothing. */
    TaskProgress NONE = new TaskProgress() {
        @Override
        public void begin(String task, long total) {
        }

        @Override
        public void advance(long done) {
        }

        @Override
        public void note(String line) {
        }
    };

    /** {@code p}, or {@link #NONE} when it is null. */
    static TaskProgress orNone(TaskProgress p) {
        return p == null ? NONE : p;
    }

    /** Only the lines worth keeping, printed on {@code out}; no status (for logs that want results only). */
    static TaskProgress notesOn(PrintStream out) {
        return new TaskProgress() {
            @Override
            public void begin(String task, long total) {
            }

            @Override
            public void advance(long done) {
            }

            @Override
            public void note(String line) {
                out.println(line);
            }
        };
    }
}
