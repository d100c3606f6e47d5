package org.userlogins.chaos.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.userlogins.chaos.config.ChaosOptions;
import org.userlogins.chaos.control.ServiceWatch;
import org.userlogins.chaos.hostile.DlqReader;
import org.userlogins.chaos.hostile.HostileMessage;
import org.userlogins.chaos.load.LoadGenerator;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.check.Reconcile;
import org.userlogins.ops.check.Reconciliation;
import org.userlogins.ops.probe.ClickHouseProbe;
import org.userlogins.ops.probe.PostgresProbe;

/** The end of a run: every count, every hostile record's fate, the faults' recoveries, and the verdict. */
final class Verification {
    private final OpsSettings settings;
    private final LoadGenerator load;
    private final FaultInjector injector;
    private final ServiceWatch watch;
    private final List<FaultRecord> records;
    private final long drainMs;
    private final List<String> failures = new ArrayList<>();

    Verification(OpsSettings settings, LoadGenerator load, FaultInjector injector, ServiceWatch watch,
                 List<FaultRecord> records, long drainMs) {
        this.settings = settings;
        this.load = load;
        this.injector = injector;
        this.watch = watch;
        this.records = records;
        this.drainMs = drainMs;
    }

    /** Rows of this run (username starting with the run's prefix, digits and dashes only) in ClickHouse. */
    static long clickHouseRunRows(OpsSettings settings, String prefix, boolean whenFinal) {
        try (ClickHouseProbe ch = new ClickHouseProbe(settings)) {
            if (!ch.tableExists()) {
                return 0;
            }
            return ch.single("SELECT count() FROM " + ch.table() + (whenFinal ? " FINAL" : "") + " WHERE startsWith(username, '"
                    + prefix.replaceAll("[^0-9a-z-]", "") + "')");
        } catch (Exception e) {
            return -1;
        }
    }

    int verifyAndReport(ChaosOptions options, long runStart) throws Exception {
        long committed = load.committedRows();
        long pgRows;
        long pgUnsent;
        try (PostgresProbe pg = new PostgresProbe(settings)) {
            String where = " FROM user_logins WHERE left(username, " + load.prefix().length() + ") = '" + load.prefix() + "'";
            pgRows = pg.single("SELECT count(*)" + where);
            pgUnsent = pg.single("SELECT count(*)" + where + " AND sent_to_kafka IS NOT TRUE");
        }
        long chFinal = clickHouseRunRows(settings, load.prefix(), true);
        long chRaw = clickHouseRunRows(settings, load.prefix(), false);
        Reconciliation reconcile = Reconcile.compute(settings);
        DlqReader.Contents dlq = DlqReader.read(settings, injector.hostilePrefix());
        Map<TopicPartition, Long> onAddedPartitions = injector.growth().recordsOnAddedPartitions();

        ChaosRun.say("%n======== chaos report ========");
        ChaosRun.say("seed %d, duration %s, load %d rows/s (rerun: ./pipeline chaos --duration %ds --seed %d)", options.seed(),
                options.duration(), options.rowsPerSecond(), options.duration().toSeconds(), options.seed());
        ChaosRun.say("%nfaults (time from start; recovery = fault end until lag back to normal, target %d s):", options.recoveryTarget().toSeconds());
        for (FaultRecord r : records) {
            String recovery = r.recoveryMs() < 0 ? "NOT RECOVERED within " + options.recoveryBound().toSeconds() + " s"
                    : String.format("%.1f s%s", r.recoveryMs() / 1000.0, r.recoveryMs() > options.recoveryTarget().toMillis() ? "  OVER TARGET" : "");
            ChaosRun.say("  %s-%s  %-45s recovery %s%s", offset(runStart, r.startMs()), offset(runStart, r.endMs()),
                    r.fault().describe(), recovery, r.note().isEmpty() ? "" : "  [" + r.note() + "]");
            if (r.note().contains("FAILED")) {
                failures.add("fault " + r.fault().describe() + ": " + r.note());
            }
        }
        ChaosRun.say("%nrows: inserted (committed) %,d in %,d transactions; PostgreSQL has %,d of them, %,d unsent", committed,
                load.transactions(), pgRows, pgUnsent);
        ChaosRun.say("clickhouse (this run): %,d FINAL, %,d raw; raw duplicates %,d (%.3f%%; %,d rows were set back to FALSE and sent again,"
                        + " until merges collapse them)", chFinal, chRaw, chRaw - chFinal,
                chFinal <= 0 ? 0.0 : 100.0 * (chRaw - chFinal) / chFinal, injector.resetRows());
        ChaosRun.say("drain after the load stopped: %s", drainMs < 0 ? "NOT COMPLETE within " + options.drainBound().toSeconds() + " s" : drainMs / 1000.0 + " s");
        ChaosRun.say("reconcile (./pipeline check, whole table):%n%s", reconcile.describe().stripTrailing().indent(2).stripTrailing());
        expect(load.failure() == null, "the load generator failed: " + load.failure());
        expect(pgRows == committed, "PostgreSQL has " + pgRows + " rows of this run, the load generator counted " + committed);
        expect(pgUnsent == 0, pgUnsent + " rows of this run never flagged sent_to_kafka");
        expect(chFinal == committed, "ClickHouse FINAL has " + chFinal + " rows of this run, " + committed + " committed");
        expect(reconcile.missing().isEmpty(), reconcile.missing().size() + " missing ids (first " + first(reconcile.missing()) + ")");
        expect(reconcile.extra().isEmpty(), reconcile.extra().size() + " extra ids (first " + first(reconcile.extra()) + ")");
        expect(drainMs >= 0, "the pipeline did not drain within " + options.drainBound().toSeconds() + " s");
        reportHostile(dlq.reasonByKey(), dlq.countsByReason());
        reportRedrives(dlq);
        reportAddedPartitions(onAddedPartitions);
        reportExits();
        ChaosRun.say("%npeak RSS per service:");
        new TreeMap<>(watch.peakRssKb()).forEach((s, kb) -> ChaosRun.say("  %-17s %,d MB", s, kb / 1024));
        ChaosRun.say("%n%s", failures.isEmpty() ? "chaos run PASSED: 0 missing, 0 extra, every hostile record rejected, no service exited on an outage"
                : "chaos run FAILED:\n  - " + String.join("\n  - ", failures));
        return failures.isEmpty() ? 0 : 1;
    }

    private void reportHostile(Map<String, String> dlq, Map<String, Integer> dlqCounts) {
        Map<String, Integer> expected = new TreeMap<>();
        int atTheDoor = 0;
        for (HostileMessage m : injector.hostileSent()) {
            String outcome = injector.hostileOutcome().getOrDefault(m.key(), "not sent");
            String got = dlq.get(m.key());
            if (m.refusedAtTheDoor()) {
                atTheDoor++;
                expect(outcome.startsWith("refused") && got == null, m.key() + " (" + m.what() + ") should be refused by the broker: " + outcome
                        + (got == null ? "" : ", in the DLQ as " + got));
            } else {
                expected.merge(m.expected(), 1, Integer::sum);
                expect(outcome.equals("sent"), m.key() + " (" + m.what() + ") was not sent: " + outcome);
                expect(m.expected().equals(got), m.key() + " (" + m.what() + ") expected in the DLQ as " + m.expected() + ", found " + got);
            }
        }
        ChaosRun.say("%nhostile records: %d written to the events topic, %d of them refused by the broker (over max.message.bytes)", injector.hostileSent().size(), atTheDoor);
        ChaosRun.say("  %-26s %8s %8s", "dlq.reason", "expected", "in DLQ");
        java.util.Set<String> reasons = new java.util.TreeSet<>(expected.keySet());
        reasons.addAll(dlqCounts.keySet());
        for (String reason : reasons) {
            ChaosRun.say("  %-26s %8d %8d", reason, expected.getOrDefault(reason, 0), dlqCounts.getOrDefault(reason, 0));
        }
    }

    /** Every run re-drives twice at once after its hostile burst: some records must come back, none twice. */
    private void reportRedrives(DlqReader.Contents dlq) {
        ChaosRun.say("%nre-drive: %d hostile records rejected again after a re-drive, %d re-driven twice%s", dlq.redriven().size(),
                dlq.doubled().size(), dlq.complete() ? "" : " (DLQ NOT READ TO ITS END)");
        expect(dlq.complete(), "the DLQ could not be read to its end");
        expect(!dlq.redriven().isEmpty(), "no hostile record came back from the two re-drive runs");
        expect(dlq.doubled().isEmpty(), dlq.doubled().size() + " records re-driven twice (first " + dlq.doubled().subList(0, Math.min(5, dlq.doubled().size())) + ")");
    }

    /** Rows must have reached the partition added mid-run, or the fault proved nothing. */
    private void reportAddedPartitions(Map<TopicPartition, Long> onAdded) {
        onAdded.forEach((tp, records) -> {
            ChaosRun.say("partition added mid-run: %s received %,d records", tp, records);
            expect(records > 0, "no record reached " + tp + ", added mid-run");
        });
    }

    private void reportExits() {
        ChaosRun.say("%nservices that exited by themselves: %s", watch.selfExits().isEmpty() ? "none" : "");
        for (ServiceWatch.SelfExit exit : watch.selfExits()) {
            FaultRecord during = records.stream().filter(r -> r.startMs() <= exit.atMs()).reduce((a, b) -> b).orElse(null);
            String context = during == null ? "before any fault" : "after " + during.fault().describe();
            ChaosRun.say("  %s (pid %d) %s at %tT, %s", exit.service(), exit.pid(), exit.how(), exit.atMs(), context);
            expect(during == null || !during.fault().kind().mustBeSurvived(),
                    exit.service() + " exited by itself during " + context + " (see its log)");
        }
    }

    private void expect(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
        }
    }

    private static String offset(long runStart, long ms) {
        long s = (ms - runStart) / 1000;
        return String.format("%02d:%02d", s / 60, s % 60);
    }

    private static String first(List<Long> ids) {
        return ids.subList(0, Math.min(10, ids.size())).toString();
    }
}
