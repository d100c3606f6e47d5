package org.userlogins.bench.measure;

/**
 * The live line: phase, rows, rows/s, elapsed. On a terminal it rewrites one line on stderr; in a
 * log (CI) it prints a line every 5 s instead, so the log stays readable.
 */
public final class Progress {
    private static final boolean TERMINAL = System.console() != null;
    private long lastPrinted;
    private boolean open;

    public synchronized void show(String phase, long rows, double rowsPerSecond, double elapsedSeconds, String detail) {
        String line = String.format("%-22s rows %,11d  %,9.0f rows/s  %6.1f s  %s", phase, rows, rowsPerSecond, elapsedSeconds, detail);
        if (TERMINAL) {
            System.err.print("\r" + line + "   ");
            open = true;
        } else if (System.nanoTime() - lastPrinted > 5_000_000_000L) {
            System.err.println(line);
            lastPrinted = System.nanoTime();
        }
    }

    /** Ends the live line and prints a phase's result below it. */
    public synchronized void done(String message) {
        if (open) {
            System.err.println();
            open = false;
        }
        System.err.println(message);
        lastPrinted = 0;
    }
}
