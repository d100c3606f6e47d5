package org.userlogins.chaos.hostile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.userlogins.ops.OpsSettings;
import org.userlogins.ops.probe.TopicReader;
import org.userlogins.events.DlqHeaders;

/** Reads the whole DLQ (committed records only) for the records whose key starts with a prefix. */
public final class DlqReader {

    private DlqReader() {
    }

    /**
     * @param reasonByKey    each key's dlq.reason (of its last record)
     * @param countsByReason DLQ records per reason
     * @param redriven       keys with a record rejected after a re-drive (attempt 1 or more)
     * @param doubled        "key attempt N" for each re-drive that reached the DLQ twice: the same
     *                       record re-driven twice (the processor writes its DLQ exactly once)
     * @param complete       false when the read stopped before the DLQ's end
     */
    public record Contents(Map<String, String> reasonByKey, Map<String, Integer> countsByReason, List<String> redriven,
                           List<String> doubled, boolean complete) {
    }

    public static Contents read(OpsSettings settings, String keyPrefix) {
        Map<String, String> reasons = new HashMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> perAttempt = new HashMap<>();
        List<String> redriven = new ArrayList<>();
        List<String> doubled = new ArrayList<>();
        boolean complete = TopicReader.read(TopicReader.consumerProperties(settings), settings.dlqTopic(), Long.MAX_VALUE,
                Duration.ofSeconds(120), Duration.ofSeconds(30), r -> {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    if (!key.startsWith(keyPrefix)) {
                        return;
                    }
                    String reason = text(r.headers(), DlqHeaders.REASON, "(no reason header)");
                    reasons.put(key, reason);
                    counts.merge(reason, 1, Integer::sum);
                    String attempt = text(r.headers(), DlqHeaders.REDRIVE_ATTEMPT, "0");
                    if (!attempt.equals("0")) {
                        redriven.add(key);
                        if (perAttempt.merge(key + " attempt " + attempt, 1, Integer::sum) == 2) {
                            doubled.add(key + " attempt " + attempt);
                        }
                    }
                });
        return new Contents(reasons, counts, redriven, doubled, complete);
    }

    private static String text(Headers headers, String name, String missing) {
        Header h = headers.lastHeader(name);
        return h == null ? missing : new String(h.value(), StandardCharsets.UTF_8);
    }
}
