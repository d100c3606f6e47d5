package org.userlogins.chaos.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPlannerTest {

    @Test
    void shouldGiveTheSameScheduleWhenTheSeedIsTheSame() {
        assertThat(FaultPlanner.plan(42, Duration.ofMinutes(10))).isEqualTo(FaultPlanner.plan(42, Duration.ofMinutes(10)));
        assertThat(FaultPlanner.plan(42, Duration.ofMinutes(10))).isNotEqualTo(FaultPlanner.plan(43, Duration.ofMinutes(10)));
    }

    @Test
    void shouldKillEachServiceStopClickHouseAndSendABurstWhenTheRunIsShort() {
        List<PlannedFault> plan = FaultPlanner.plan(42, Duration.ofMinutes(2));

        for (String service : FaultPlanner.SERVICES) {
            assertThat(plan).anyMatch(f -> f.kind() == FaultKind.KILL && f.services().equals(List.of(service)) && f.required());
        }
        assertThat(plan).filteredOn(f -> f.kind() == FaultKind.CLICKHOUSE_OUTAGE).singleElement()
                .satisfies(f -> assertThat(f.holdSeconds()).isEqualTo(30));
        assertThat(plan).filteredOn(f -> f.kind() == FaultKind.HOSTILE_BURST).hasSize(1);
        assertThat(plan).noneMatch(f -> f.kind() == FaultKind.POSTGRES_RESTART);
    }

    @Test
    void shouldStopKafkaForLongerThanTheClientsTimeoutsInEveryPlan() {
        for (long seed = 1; seed <= 50; seed++) {
            for (Duration duration : List.of(Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(10))) {
                for (boolean cluster : List.of(false, true)) {
                    assertThat(FaultPlanner.plan(seed, duration, cluster)).as("seed %d, %s, cluster %s", seed, duration, cluster)
                            .filteredOn(f -> f.kind() == FaultKind.KAFKA_RESTART && f.holdSeconds() >= FaultPlanner.LONG_KAFKA_OUTAGE_SECONDS)
                            .singleElement().satisfies(f -> assertThat(f.required()).isTrue());
                }
            }
        }
        assertThat(FaultPlanner.LONG_KAFKA_OUTAGE_SECONDS).as("past the producer's 120 s delivery timeout").isGreaterThan(120);
    }

    @Test
    void shouldAddAPartitionInTheFirstHalfAndReDriveTwiceAfterTheHostileBurst() {
        for (long seed = 1; seed <= 50; seed++) {
            for (Duration duration : List.of(Duration.ofMinutes(2), Duration.ofMinutes(10))) {
                List<FaultKind> kinds = FaultPlanner.plan(seed, duration).stream().map(PlannedFault::kind).toList();

                assertThat(kinds).containsOnlyOnce(FaultKind.PARTITIONS_ADDED, FaultKind.REDRIVE_TWICE, FaultKind.HOSTILE_BURST);
                assertThat(kinds.indexOf(FaultKind.REDRIVE_TWICE)).isGreaterThan(kinds.indexOf(FaultKind.HOSTILE_BURST));
                assertThat(kinds.indexOf(FaultKind.PARTITIONS_ADDED)).as("seed %d, %s: rows must reach the new partition", seed, duration)
                        .isLessThanOrEqualTo(kinds.size() / 2);
            }
        }
    }

    @Test
    void shouldAddEveryKindOfFaultWhenTheRunIsLong() {
        for (long seed = 1; seed <= 50; seed++) {
            List<PlannedFault> plan = FaultPlanner.plan(seed, Duration.ofMinutes(10));

            assertThat(plan).anyMatch(f -> f.kind() == FaultKind.KILL && f.services().size() == 2);
            assertThat(plan).anyMatch(f -> f.kind() == FaultKind.KAFKA_RESTART);
            assertThat(plan).anyMatch(f -> f.kind() == FaultKind.POSTGRES_RESTART);
            assertThat(plan).filteredOn(f -> f.kind() == FaultKind.CLICKHOUSE_OUTAGE)
                    .allSatisfy(f -> assertThat(f.holdSeconds()).isBetween(30, 60));
            // Each service, a pair, and more where the time left allows (the long Kafka outage takes about 2.5 minutes of ten).
            assertThat(plan).filteredOn(f -> f.kind() == FaultKind.KILL).hasSizeGreaterThanOrEqualTo(4);
            // Optional faults only fill the time the required ones leave (these may run past the end).
            int required = plan.stream().filter(PlannedFault::required).mapToInt(PlannedFault::estimatedSeconds).sum();
            int estimate = plan.stream().mapToInt(PlannedFault::estimatedSeconds).sum();
            assertThat(estimate).isLessThanOrEqualTo(Math.max(600 - FaultPlanner.WARM_UP_SECONDS, required));
        }
    }

    @Test
    void shouldKillTheLeaderBrokerAndTheControllerOnlyOnAKafkaClusterAndLeaveTheSingleBrokersPlanAsItWas() {
        for (long seed = 1; seed <= 50; seed++) {
            for (Duration duration : List.of(Duration.ofMinutes(2), Duration.ofMinutes(10))) {
                List<PlannedFault> single = FaultPlanner.plan(seed, duration, false);
                List<PlannedFault> cluster = FaultPlanner.plan(seed, duration, true);

                assertThat(single).isEqualTo(FaultPlanner.plan(seed, duration))
                        .noneMatch(f -> f.kind() == FaultKind.LEADER_BROKER_KILL || f.kind() == FaultKind.CONTROLLER_KILL);
                assertThat(cluster).filteredOn(f -> f.kind() == FaultKind.LEADER_BROKER_KILL).singleElement()
                        .satisfies(f -> assertThat(f.holdSeconds()).isBetween(20, 30))
                        .satisfies(f -> assertThat(f.required()).isTrue());
                assertThat(cluster).filteredOn(f -> f.kind() == FaultKind.CONTROLLER_KILL).singleElement()
                        .satisfies(f -> assertThat(f.required()).isTrue());
                assertThat(FaultKind.LEADER_BROKER_KILL.mustBeSurvived()).isTrue();
                assertThat(FaultKind.CONTROLLER_KILL.mustBeSurvived()).isTrue();
            }
        }
    }
}
