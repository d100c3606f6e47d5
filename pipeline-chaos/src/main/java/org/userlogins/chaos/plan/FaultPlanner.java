package org.userlogins.chaos.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The schedule of a run, from its seed alone: the same seed and duration give the same faults in
 * the same order with the same gaps and holds. Every run kills each service, stops ClickHouse,
 * sends a hostile burst, changes event_time's type, sets flags of sent rows back to FALSE, runs a
 * second writer and kills it, replays the writer's group to a time ahead, keeps a new row locked
 * (2 minutes in full runs), adds a partition to the events topic (in the run's first half, so rows
 * reach it) and runs two re-drives at once (after the hostile burst, so there is something to
 * re-drive) and stops Kafka (on a cluster every node) for longer than the clients' own timeouts,
 * {@link #LONG_KAFKA_OUTAGE_SECONDS} or more; from {@link #FULL_SET} on it also kills two services
 * at once and restarts Kafka briefly and PostgreSQL. On a Kafka cluster every run also kills (-9) the node leading
 * most of the topics' partitions and, later or earlier, the active controller, each started again
 * after its hold; the same seed and duration give a single broker's plan unchanged.
 * Remaining time is filled with more kills.
 */
public final class FaultPlanner {
    public static final List<String> SERVICES = List.of("cdc-capture", "stream-processor", "ch-writer");
    /** Runs this long get every kind of fault; shorter ones (the test's) get the core set. */
    public static final Duration FULL_SET = Duration.ofMinutes(4);
    static final int WARM_UP_SECONDS = 15;
    /**
     * Past the clients' timeouts that end a call while Kafka is away (60 s: API calls such as a
     * commit, and a DLQ record's ack; 120 s: a producer's delivery): a service that gives up on an
     * outage instead of waiting it out shows here (a run of a 2-minute cluster restart found one).
     */
    public static final int LONG_KAFKA_OUTAGE_SECONDS = 125;

    private FaultPlanner() {
    }

    public static List<PlannedFault> plan(long seed, Duration duration) {
        return plan(seed, duration, false);
    }

    public static List<PlannedFault> plan(long seed, Duration duration, boolean kafkaCluster) {
        Random random = new Random(seed);
        boolean full = duration.compareTo(FULL_SET) >= 0;
        List<PlannedFault> plan = new ArrayList<>();
        for (String service : SERVICES) {
            plan.add(kill(random, List.of(service), true));
        }
        plan.add(new PlannedFault(FaultKind.HOSTILE_BURST, List.of(), gap(random), 0, true));
        plan.add(new PlannedFault(FaultKind.SCHEMA_CHANGE, List.of(), gap(random), 5 + random.nextInt(6), true));
        plan.add(new PlannedFault(FaultKind.FLAG_RESET, List.of(), gap(random), 0, true));
        plan.add(new PlannedFault(FaultKind.SECOND_WRITER, List.of(), gap(random), 5 + random.nextInt(6), true));
        plan.add(new PlannedFault(FaultKind.REPLAY_AHEAD, List.of(), gap(random), 0, true));
        plan.add(new PlannedFault(FaultKind.ROW_LOCK, List.of(), gap(random), full ? 120 : 10 + random.nextInt(11), true));
        plan.add(new PlannedFault(FaultKind.CLICKHOUSE_OUTAGE, List.of(), gap(random), full ? 30 + random.nextInt(31) : 30, true));
        plan.add(new PlannedFault(FaultKind.KAFKA_RESTART, List.of(), gap(random),
                LONG_KAFKA_OUTAGE_SECONDS + (full ? random.nextInt(16) : 0), true));
        if (full) {
            plan.add(kill(random, pair(random), true));
            plan.add(new PlannedFault(FaultKind.KAFKA_RESTART, List.of(), gap(random), 3 + random.nextInt(6), true));
            plan.add(new PlannedFault(FaultKind.POSTGRES_RESTART, List.of(), gap(random), 2 + random.nextInt(4), true));
        }
        if (kafkaCluster) {
            plan.add(new PlannedFault(FaultKind.LEADER_BROKER_KILL, List.of(), gap(random), 20 + random.nextInt(11), true));
            plan.add(new PlannedFault(FaultKind.CONTROLLER_KILL, List.of(), gap(random), 10 + random.nextInt(11), true));
        }
        java.util.Collections.shuffle(plan, random);
        plan.add(random.nextInt(plan.size() / 2 + 1), new PlannedFault(FaultKind.PARTITIONS_ADDED, List.of(), gap(random), 0, true));
        int burst = indexOf(plan, FaultKind.HOSTILE_BURST);
        plan.add(burst + 1 + random.nextInt(plan.size() - burst), new PlannedFault(FaultKind.REDRIVE_TWICE, List.of(), gap(random), 0, true));
        long budget = duration.toSeconds() - WARM_UP_SECONDS - plan.stream().mapToInt(PlannedFault::estimatedSeconds).sum();
        while (true) {
            PlannedFault extra = random.nextInt(10) < 7 ? kill(random, List.of(SERVICES.get(random.nextInt(3))), false)
                    : kill(random, pair(random), false);
            if (budget < extra.estimatedSeconds()) {
                break;
            }
            budget -= extra.estimatedSeconds();
            plan.add(random.nextInt(plan.size() + 1), extra);
        }
        return plan;
    }

    private static int indexOf(List<PlannedFault> plan, FaultKind kind) {
        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i).kind() == kind) {
                return i;
            }
        }
        throw new IllegalStateException(kind + " not planned");
    }

    private static PlannedFault kill(Random random, List<String> services, boolean required) {
        return new PlannedFault(FaultKind.KILL, services, gap(random), 2 + random.nextInt(5), required);
    }

    private static List<String> pair(Random random) {
        int skipped = random.nextInt(3);
        List<String> pair = new ArrayList<>(SERVICES);
        pair.remove(skipped);
        return pair;
    }

    private static int gap(Random random) {
        return 3 + random.nextInt(8);
    }
}
