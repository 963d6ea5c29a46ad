package org.tensorbridge.cli;

import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs a step of unknown length (probing backends, which on the first run unpacks native libraries)
 * with an elapsed-time display on standard error once it has taken more than two seconds.
 */
final class SlowStep {
    private static final long QUIET_MILLIS = 2000;

    private SlowStep() {
    }

    static <T> T run(String task, Supplier<T> step) {
        Thread worker = Thread.currentThread();
        ProgressBar[] shown = new ProgressBar[1];
        Thread display = new Thread(() -> {
            try {
                Thread.sleep(QUIET_MILLIS);
            } catch (InterruptedException finishedQuickly) {
                return;
            }
            synchronized (shown) {
                shown[0] = new ProgressBarBuilder().setTaskName(task).setInitialMax(-1)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
            }
        }, "progress of " + task + " in " + worker.getName());
        display.setDaemon(true);
        display.start();
        try {
            return step.get();
        } finally {
            display.interrupt();
            synchronized (shown) {
                if (shown[0] != null) {
                    shown[0].close();
                }
            }
        }
    }
}
