package org.legodnn.cli;

/**
 * Turns anything a command throws — an exception, an out-of-memory or stack overflow, an internal error of
 * the JVM — into the one line on stderr that the exit-code contract promises, with what to do about it where
 * there is something to do. The stack trace stays for {@code --verbose}.
 */
final class FailureMessage {

    private FailureMessage() {
    }

    /** One line (no line breaks) describing {@code t}, or the resource error in its causes. */
    static String of(Throwable t) {
        Throwable root = unwrap(t);
        for (Throwable c = root; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return "out of memory (" + text(c.getMessage(), "heap") + "); give the JVM more, e.g."
                        + " LEGODNN_JAVA_OPTS=-Xmx8g, or use smaller batches or inputs";
            }
            if (c instanceof StackOverflowError) {
                return "the model nests too deeply for the thread's stack (StackOverflowError); try"
                        + " LEGODNN_JAVA_OPTS=-Xss16m";
            }
        }
        String message = text(root.getMessage(), null);
        if (root instanceof Error) {
            return "internal error: " + root.getClass().getName() + (message == null ? "" : ": " + message)
                    + where(root) + " (rerun with --verbose for the trace and report it)";
        }
        if (message == null) {
            // the JVM drops the message of an exception it has thrown many times: say at least what and where
            return root.getClass().getSimpleName() + where(root) + " (rerun with --verbose for the trace)";
        }
        return message;
    }

    /** The exception a wrapper (a thread pool's, a reflective call's) carries, when the wrapper says nothing more. */
    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c
                && (c instanceof java.util.concurrent.ExecutionException
                    || c instanceof java.util.concurrent.CompletionException
                    || c instanceof java.lang.reflect.InvocationTargetException
                    || c instanceof java.lang.reflect.UndeclaredThrowableException
                    || c.getMessage() == null || c.getMessage().equals(c.getCause().toString()))) {
            c = c.getCause();
        }
        return c;
    }

    /** {@code message} on one line (line breaks become " / "), or {@code fallback} when there is none. */
    private static String text(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " / ");
    }

    private static String where(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length == 0 ? "" : " at " + trace[0];
    }
}
