package org.userlogins.chaos.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.userlogins.chaos.control.ServiceWatch;
import org.userlogins.chaos.control.StackControl;
import org.userlogins.chaos.hostile.HostileCatalog;
import org.userlogins.chaos.hostile.HostileMessage;
import org.userlogins.chaos.hostile.HostileSender;
import org.userlogins.chaos.plan.FaultKind;
import org.userlogins.chaos.plan.PlannedFault;
import org.userlogins.ops.OpsSettings;

/**
 * Injects one fault, holds it, and heals: starts the server it stopped; killed services are
 * started again by their supervisors, and any service left without one by `./pipeline server
 * start services`.
 */
final class FaultInjector {
    private final StackControl control;
    private final ServiceWatch watch;
    private final OpsSettings settings;
    private final String hostilePrefix;
    private final List<HostileMessage> hostileSent = new ArrayList<>();
    private final Map<String, String> hostileOutcome = new LinkedHashMap<>();
    private final SourceTableFaults table;
    private final String loadPrefix;

    private final SecondWriter secondWriter;
    private final RowLock rowLock;
    private final EventsTopicGrowth growth;
    private final TwoRedrives redrives;
    private final KafkaNodes nodes;

    FaultInjector(StackControl control, ServiceWatch watch, OpsSettings settings, String hostilePrefix, String loadPrefix,
                  SecondWriter secondWriter, RowLock rowLock) {
        this.secondWriter = secondWriter;
        this.rowLock = rowLock;
        this.control = control;
        this.watch = watch;
        this.settings = settings;
        this.hostilePrefix = hostilePrefix;
        this.loadPrefix = loadPrefix;
        this.table = new SourceTableFaults(settings);
        this.growth = new EventsTopicGrowth(settings);
        this.redrives = new TwoRedrives(control);
        this.nodes = new KafkaNodes(settings);
    }

    /** Returns {start, end} epoch ms; problems are appended to {@code notes}. */
    long[] inject(PlannedFault fault, List<String> notes) throws InterruptedException {
        long start = System.currentTimeMillis();
        String killedNode = null;
        switch (fault.kind()) {
            case LEADER_BROKER_KILL, CONTROLLER_KILL -> {
                try {
                    KafkaNodes.Choice choice = fault.kind() == FaultKind.CONTROLLER_KILL ? nodes.activeController()
                            : nodes.leaderOfMost(List.of(settings.eventsTopic(), settings.cleanTopic()));
                    killedNode = "kafka-" + choice.nodeId();
                    notes.add(killedNode + ": " + choice.why());
                    check(control.run("server", "kill", killedNode), "kill -9 " + killedNode, notes);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    notes.add("choosing the Kafka node FAILED: " + e.getMessage());
                }
            }
            case KILL -> {
                watch.expectDown(fault.services());
                for (String s : fault.services()) {
                    check(control.run("kill", s), "kill " + s, notes);
                }
            }
            case CLICKHOUSE_OUTAGE -> check(control.run("server", "stop", "clickhouse"), "stop ClickHouse", notes);
            case KAFKA_RESTART -> check(control.run("server", "stop", "kafka"), "stop Kafka", notes);
            case POSTGRES_RESTART -> check(control.run("server", "stop", "postgres"), "stop PostgreSQL", notes);
            case HOSTILE_BURST -> sendBurst(notes);
            case SCHEMA_CHANGE -> sql(table::changeEventTimeType, "ALTER TABLE", notes);
            case FLAG_RESET -> sql(() -> table.resetFlags(loadPrefix, RESET_ROWS) + " sent rows set back to FALSE", "flag reset", notes);
            case SECOND_WRITER -> {
                try {
                    notes.add(secondWriter.start());
                } catch (java.io.IOException e) {
                    notes.add("second ch-writer FAILED to start: " + e.getMessage());
                }
            }
            case ROW_LOCK -> {
                try {
                    notes.add(rowLock.take("lock-" + loadPrefix));
                } catch (java.io.IOException | java.sql.SQLException e) {
                    notes.add("row lock FAILED: " + e.getMessage());
                }
            }
            case PARTITIONS_ADDED -> {
                try {
                    notes.add(growth.addPartition());
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    notes.add("adding a partition FAILED: " + e.getMessage());
                }
            }
            case REDRIVE_TWICE -> notes.add(redrives.run(
                    () -> !org.userlogins.chaos.hostile.DlqReader.read(settings, hostilePrefix).reasonByKey().isEmpty()));
            case REPLAY_AHEAD -> {
                // A time no record has reached: before the fix every partition moved to its end, skipping what the
                // writer held uncommitted; now each keeps its committed offset. Replay stops and starts ch-writer.
                watch.expectDown(List.of("ch-writer"));
                String ahead = java.time.Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
                check(control.run("replay", "--to-datetime", ahead), "replay --to-datetime " + ahead, notes);
            }
        }
        Thread.sleep(fault.holdSeconds() * 1000L);
        long end = System.currentTimeMillis();
        if (killedNode != null) {
            check(control.run("server", "start", killedNode), "start " + killedNode, notes);
        }
        switch (fault.kind()) {
            case CLICKHOUSE_OUTAGE -> check(control.run("server", "start", "clickhouse"), "start ClickHouse", notes);
            case KAFKA_RESTART -> check(control.run("server", "start", "kafka"), "start Kafka", notes);
            case POSTGRES_RESTART -> check(control.run("server", "start", "postgres"), "start PostgreSQL", notes);
            case SCHEMA_CHANGE -> sql(table::restoreEventTimeType, "ALTER TABLE back", notes);
            case SECOND_WRITER -> notes.add(secondWriter.kill());
            case ROW_LOCK -> sql(rowLock::release, "releasing the row lock", notes);
            default -> {
            }
        }
        // A killed service is started again by its supervisor (./pipeline server start services
        // leaves it to it): only one that no supervisor brings back is started here.
        if (!watch.unsupervised().isEmpty()) {
            notes.add("not supervised: " + watch.unsupervised());
            check(control.up(3), "./pipeline server start services", notes);
        }
        watch.clearExpected();
        return new long[] {start, end};
    }

    /** Rows of this run whose flag one FLAG_RESET sets back to FALSE. */
    static final int RESET_ROWS = 25;

    private interface Sql {
        Object run() throws java.sql.SQLException;
    }

    private static void sql(Sql action, String what, List<String> notes) {
        try {
            notes.add(String.valueOf(action.run()));
        } catch (java.sql.SQLException e) {
            notes.add(what + " FAILED: " + e.getMessage());
        }
    }

    EventsTopicGrowth growth() {
        return growth;
    }

    long resetRows() {
        return table.resetRows();
    }

    private void sendBurst(List<String> notes) {
        List<HostileMessage> burst = HostileCatalog.burst(hostilePrefix + hostileSent.size() + "-");
        Map<String, String> outcome = HostileSender.send(settings.kafka(), settings.eventsTopic(), burst);
        hostileSent.addAll(burst);
        hostileOutcome.putAll(outcome);
        long refused = outcome.values().stream().filter(v -> v.startsWith("refused")).count();
        notes.add(burst.size() + " records, " + refused + " refused by the broker");
    }

    private static void check(boolean ok, String what, List<String> notes) {
        if (!ok) {
            notes.add(what + " FAILED (see the control log)");
        }
    }

    String hostilePrefix() {
        return hostilePrefix;
    }

    List<HostileMessage> hostileSent() {
        return hostileSent;
    }

    Map<String, String> hostileOutcome() {
        return hostileOutcome;
    }
}
