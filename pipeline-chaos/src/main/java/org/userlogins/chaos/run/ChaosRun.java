package org.userlogins.chaos.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.userlogins.chaos.config.ChaosOptions;
import org.userlogins.chaos.control.ServiceWatch;
import org.userlogins.chaos.control.StackControl;
import org.userlogins.chaos.load.LoadGenerator;
import org.userlogins.chaos.plan.FaultPlanner;
import org.userlogins.chaos.plan.PlannedFault;
import org.userlogins.ops.OpsSettings;

/**
 * One chaos run: load on, warm-up to learn the normal lag, the seed's faults one after another
 * (each healed and its recovery timed), load off, drain, then {@link Verification} and the report.
 */
public final class ChaosRun {
    private static final int WARM_UP_SAMPLES = 15;

    private final ChaosOptions options;
    private final OpsSettings settings;
    private final StackControl control;
    private long lastSupervisorUp;

    public ChaosRun(ChaosOptions options, OpsSettings settings) {
        this.options = options;
        this.settings = settings;
        this.control = new StackControl(options.pipelineScript(), options.stateDir().resolve("logs/chaos-control.log"));
    }

    public int run() throws Exception {
        String runId = options.seed() + "-" + Long.toString(System.currentTimeMillis() / 1000 % 100_000_000L, 36);
        List<PlannedFault> plan = FaultPlanner.plan(options.seed(), options.duration(), options.kafkaCluster());
        say("chaos run %s: seed %d, duration %s, load %d rows/s, Kafka %s; control log %s", runId, options.seed(),
                options.duration(), options.rowsPerSecond(), options.kafkaCluster() ? "cluster (3 nodes)" : "single broker", control.log());
        for (int i = 0; i < plan.size(); i++) {
            say("  plan %2d: after %2d s, %s%s", i + 1, plan.get(i).gapSeconds(), plan.get(i).describe(), plan.get(i).required() ? "" : " (optional)");
        }
        long runStart = System.currentTimeMillis();
        List<FaultRecord> records = new ArrayList<>();
        try (ServiceWatch watch = new ServiceWatch(options.stateDir(), FaultPlanner.SERVICES);
             PipelineLag lag = new PipelineLag(settings);
             LoadGenerator load = new LoadGenerator(settings.jdbcUrl(), settings.pgUser(), settings.pgPassword(),
                     "chaos-" + runId + "-", options.rowsPerSecond(), options.seed())) {
            watch.start();
            if (!watch.unsupervised().isEmpty()) {
                control.up(2);
            }
            load.start();
            long normal = warmUp(lag);
            say("normal lag: up to %,d rows in flight", normal);
            FaultInjector injector = new FaultInjector(control, watch, settings, "hostile-" + runId + "-", load.prefix(),
                    new SecondWriter(options.pipelineScript().toAbsolutePath().getParent(), options.stateDir().resolve("logs")),
                    new RowLock(settings, options.stateDir().resolve("run")));
            long deadline = runStart + options.duration().toMillis();
            for (PlannedFault fault : plan) {
                if (!fault.required() && System.currentTimeMillis() + (fault.gapSeconds() + fault.holdSeconds()) * 1000L >= deadline) {
                    say("skipped (duration over): %s", fault.describe());
                    continue;
                }
                Thread.sleep(fault.gapSeconds() * 1000L);
                List<String> notes = new ArrayList<>();
                say("%s  inject: %s", clock(runStart), fault.describe());
                long[] window = injector.inject(fault, notes);
                long recovery = awaitRecovery(lag, watch, normal, window[1]);
                records.add(new FaultRecord(fault, window[0], window[1], recovery, String.join("; ", notes)));
                say("%s  healed: %s; recovered %s%s", clock(runStart), fault.describe(),
                        recovery < 0 ? "NOT within " + options.recoveryBound().toSeconds() + " s" : (recovery / 1000.0) + " s",
                        notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
            }
            while (System.currentTimeMillis() < deadline) {
                supervise(watch);
                Thread.sleep(1000);
            }
            load.close();
            say("%s  load stopped: %,d rows committed in %,d transactions (%,d failed attempts, read back)",
                    clock(runStart), load.committedRows(), load.transactions(), load.failedAttempts());
            long drainMs = drain(lag, watch, load);
            Verification verification = new Verification(settings, load, injector, watch, records, drainMs);
            return verification.verifyAndReport(options, runStart);
        }
    }

    /** Samples the lag with the pipeline undisturbed; normal is twice the worst sample, at least one second of load. */
    private long warmUp(PipelineLag lag) throws InterruptedException {
        long worst = 0;
        for (int i = 0; i < WARM_UP_SAMPLES; i++) {
            Thread.sleep(1000);
            worst = Math.max(worst, lag.pending().orElse(0));
        }
        return Math.max(2 * worst, options.rowsPerSecond());
    }

    /** Millis from {@code endMs} to the first of two consecutive normal samples with every service alive; -1 past the bound. */
    private long awaitRecovery(PipelineLag lag, ServiceWatch watch, long normal, long endMs) throws InterruptedException {
        long bound = endMs + options.recoveryBound().toMillis();
        long firstOk = -1;
        while (System.currentTimeMillis() < bound) {
            supervise(watch);
            long now = System.currentTimeMillis();
            OptionalLong pending = lag.pending();
            if (pending.isPresent() && pending.getAsLong() <= normal && watch.dead().isEmpty()) {
                if (firstOk >= 0) {
                    return firstOk - endMs;
                }
                firstOk = now;
            } else {
                firstOk = -1;
            }
            Thread.sleep(1000);
        }
        return -1;
    }

    /** After the load stops: every committed row in ClickHouse and nothing left in flight, within the bound. */
    private long drain(PipelineLag lag, ServiceWatch watch, LoadGenerator load) throws InterruptedException {
        long start = System.currentTimeMillis();
        long bound = start + options.drainBound().toMillis();
        while (System.currentTimeMillis() < bound) {
            supervise(watch);
            if (lag.pending().orElse(-1) == 0 && Verification.clickHouseRunRows(settings, load.prefix(), true) == load.committedRows()) {
                return System.currentTimeMillis() - start;
            }
            Thread.sleep(1000);
        }
        return -1;
    }

    /**
     * Each service has a supervisor that starts it again; a service found dead with none running
     * (its supervisor gave up on a configuration error, or was killed) is started here, at most
     * every 10 s.
     */
    private void supervise(ServiceWatch watch) {
        List<String> unsupervised = watch.unsupervised();
        if (!unsupervised.isEmpty() && System.currentTimeMillis() - lastSupervisorUp > 10_000) {
            lastSupervisorUp = System.currentTimeMillis();
            say("%s down with no supervisor: ./pipeline server start services", unsupervised);
            control.up(1);
        }
    }

    static String clock(long runStart) {
        long s = (System.currentTimeMillis() - runStart) / 1000;
        return String.format("[%02d:%02d]", s / 60, s % 60);
    }

    static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }

    Duration duration() {
        return options.duration();
    }
}
