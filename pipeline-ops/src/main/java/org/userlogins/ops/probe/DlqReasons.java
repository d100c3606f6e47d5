package org.userlogins.ops.probe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.userlogins.ops.OpsSettings;
import org.userlogins.events.DlqHeaders;
import org.userlogins.events.DlqReason;

/**
 * The DLQ by {@code dlq.reason}, and apart from it capture's own rejects ({@code dlq.stage =
 * cdc-capture}: rows flagged in PostgreSQL that never reached the events topic). Reads the newest
 * {@link #MAX_PER_PARTITION} records of each partition (a DLQ is small by design; the bound keeps
 * status quick when it is not).
 */
public final class DlqReasons {
    public static final String CAPTURE_STAGE = DlqReason.Stage.CAPTURE.service();
    /** The processor's records may carry no dlq.stage: a missing stage is the processor's. */
    public static final String PROCESSOR_STAGE = DlqReason.Stage.PROCESSOR.service();
    static final int MAX_PER_PARTITION = 10_000;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private DlqReasons() {
    }

    /**
     * Counts per reason (all stages) and per reason of capture's records, ordered by reason;
     * {@code complete} is false when older records were not read.
     */
    public record Counts(Map<String, Long> byReason, Map<String, Long> captureByReason, boolean complete) {
        public String describe() {
            if (byReason.isEmpty()) {
                return "empty";
            }
            String out = join(byReason);
            if (!captureByReason.isEmpty()) {
                out += "; from " + CAPTURE_STAGE + " (rows flagged, not published): " + join(captureByReason);
            }
            return complete ? out : out + " (newest " + MAX_PER_PARTITION + " per partition)";
        }

        private static String join(Map<String, Long> counts) {
            StringBuilder out = new StringBuilder();
            counts.forEach((reason, n) -> out.append(out.length() == 0 ? "" : ", ").append(reason).append(' ').append(n));
            return out.toString();
        }
    }

    /** Within status's time limit: a slow read shows as incomplete, it does not hold status up. */
    public static Counts read(OpsSettings settings) {
        return read(settings, READ_TIMEOUT);
    }

    /** Gives up, reporting the counts as incomplete, after {@code timeout}. */
    public static Counts read(OpsSettings settings, Duration timeout) {
        Map<String, Long> byReason = new TreeMap<>();
        Map<String, Long> capture = new TreeMap<>();
        boolean complete = TopicReader.read(TopicReader.consumerProperties(settings), settings.dlqTopic(), MAX_PER_PARTITION,
                timeout, timeout, r -> {
                    String reason = reason(r.headers());
                    byReason.merge(reason, 1L, Long::sum);
                    if (stage(r.headers()).equals(CAPTURE_STAGE)) {
                        capture.merge(reason, 1L, Long::sum);
                    }
                });
        return new Counts(byReason, capture, complete);
    }

    public static String reason(Headers headers) {
        String reason = text(headers, DlqHeaders.REASON);
        return reason == null ? "(no reason)" : reason;
    }

    public static String stage(Headers headers) {
        String stage = text(headers, DlqHeaders.STAGE);
        return stage == null || stage.isBlank() ? PROCESSOR_STAGE : stage;
    }

    private static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
