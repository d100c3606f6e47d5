package org.userlogins.writer.it;

import com.clickhouse.client.api.Client;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What each writer integration test gets: its own clean and DLQ topics, group and ClickHouse
 * database on the shared stack (dropped afterwards), the admin ClickHouse client for checks, and the
 * writer's environment pointed at them.
 */
abstract class WriterItBase {
    protected final String topic = ItSupport.unique("chw_clean");
    protected final String dlq = ItSupport.unique("chw_dlq");
    protected final String group = ItSupport.unique("chw_group");
    protected final String db = ItSupport.unique("pipeline_it_chw");
    protected final Client ch = ItSupport.clickHouse(ItSupport.CH_URL);
    protected Map<String, String> env;

    @BeforeEach
    void createTopics() throws Exception {
        ItSupport.createTopics(topic, dlq);
        env = ItSupport.writerEnv(topic, dlq, group, db, ItSupport.CH_URL);
    }

    @AfterEach
    void dropEverything() {
        ItSupport.deleteTopics(topic, dlq);
        ItSupport.dropDatabase(ch, db);
        ch.close();
    }

    /** True when the group has committed the end of every partition that has records. */
    protected boolean allCommitted() throws Exception {
        Map<TopicPartition, Long> end = ItSupport.endOffsets(topic);
        Map<TopicPartition, Long> committed = ItSupport.committed(group);
        return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || e.getValue().equals(committed.get(e.getKey())));
    }
}
