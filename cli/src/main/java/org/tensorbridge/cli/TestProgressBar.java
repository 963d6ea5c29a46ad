package org.tensorbridge.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tensorbridge.tck.report.ConformanceRunner;

/** Shows the kit's progress on standard error, one bar per backend. Used from one thread. */
final class TestProgressBar implements ConformanceRunner.Progress {
    private ProgressBar bar;

    @Override
    public void started(String backend, long tests) {
        bar = new ProgressBarBuilder().setTaskName(backend).setInitialMax(tests).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(" tests", 1).build();
    }

    @Override
    public void testFinished() {
        bar.step();
    }

    @Override
    public void finished() {
        bar.close();
    }
}
