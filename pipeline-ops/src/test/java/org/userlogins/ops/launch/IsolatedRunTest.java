package org.userlogins.ops.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IsolatedRunTest {

    @Test
    void shouldNameEverythingTheRunOwnsApartFromTheLivePipelineAndFromOtherRuns() {
        IsolatedRun run = new IsolatedRun("bench", "0a1b2c3d4e");
        Map<String, String> env = run.env();

        assertThat(env).containsEntry("KAFKA_TOPIC_EVENTS", "bench-0a1b2c3d4e-events")
                .containsEntry("CAPTURE_SLOT", "bench_0a1b2c3d4e")
                .containsEntry("CLICKHOUSE_DATABASE", "pipeline_bench_0a1b2c3d4e");
        assertThat(env.values()).doesNotHaveDuplicates();
        assertThat(env.get("CAPTURE_SLOT")).as("a slot name takes letters, digits and underscores").matches("[a-z0-9_]+");
        assertThat(env.get("CLICKHOUSE_DATABASE")).as("the writer's user may create databases named pipeline*").startsWith("pipeline");
        assertThat(IsolatedRun.of("e2e").id()).isNotEqualTo(IsolatedRun.of("e2e").id());
        assertThat(IsolatedRun.opsPortVariable("stream-processor")).isEqualTo("PROCESSOR_OPS_PORT");
    }
}
