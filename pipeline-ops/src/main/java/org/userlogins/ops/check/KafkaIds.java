package org.userlogins.ops.check;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.DlqReasons;
import org.userlogins.ops.probe.TopicReader;

/**
 * The ids that the events topic and the DLQ hold, for the buckets being compared only. Both
 * topics are read whole, keys only (a value is parsed only for a DLQ record whose key is not an id).
 */
final class KafkaIds {
    /** A read that stops moving this long fails: an incomplete read would misclassify ids. */
    private static final Duration STALL = Duration.ofSeconds(30);
    private static final Duration NO_DEADLINE = Duration.ofDays(1);

    private KafkaIds() {
    }

    /** Ids with a record in the (compacted) events topic: published by capture, or by someone else. */
    static BucketIds published(OpsSettings s, Set<Long> buckets, long width) {
        BucketIds ids = new BucketIds(buckets, width);
        boolean complete = TopicReader.read(TopicReader.consumerProperties(s), s.eventsTopic(), Long.MAX_VALUE, NO_DEADLINE, STALL,
                r -> ids.add(RecordIds.fromKey(r.key())));
        if (!complete) {
            throw new IllegalStateException("could not read topic " + s.eventsTopic() + " to its end (no progress for " + STALL.toSeconds()
                    + " s); is Kafka up?");
        }
        return ids;
    }

    /** Ids a DLQ record names, with the newest record's reason and stage (a stage-less record is the processor's). */
    static Map<Long, Rejection> rejected(OpsSettings s, Set<Long> buckets, long width) {
        BucketIds wanted = new BucketIds(buckets, width);
        Map<Long, Rejection> rejected = new HashMap<>();
        boolean complete = TopicReader.read(TopicReader.consumerProperties(s), s.dlqTopic(), Long.MAX_VALUE, NO_DEADLINE, STALL, r -> {
            long id = RecordIds.ofDeadLetter(r.key(), r.value());
            if (wanted.wanted(id)) {
                // One key, one partition: the last one read is the newest rejection of the id.
                rejected.put(id, new Rejection(DlqReasons.reason(r.headers()), DlqReasons.stage(r.headers())));
            }
        });
        if (!complete) {
            throw new IllegalStateException("could not read topic " + s.dlqTopic() + " to its end (no progress for " + STALL.toSeconds()
                    + " s); is Kafka up?");
        }
        return rejected;
    }
}
