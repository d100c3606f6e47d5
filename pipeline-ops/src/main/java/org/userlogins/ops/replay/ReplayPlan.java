package org.userlogins.ops.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.userlogins.events.RangeMark;

/**
 * What a reset does to each partition and why (pure). The rule: a replay re-reads, it never skips
 * what the group has not stored yet. So a partition moves only back, to the target, never past its
 * committed offset:
 * <ul>
 *   <li>target before the committed offset: moves back to it ({@link Decision#MOVE_BACK}); a batch
 *       recorded in flight there ({@code inserting-until=} metadata) is dropped with the old
 *       offset: it is read again with everything after the target, in batches of other bounds,
 *       so the table may hold copies of it, as of every re-read row, which FINAL collapses;</li>
 *   <li>target at or beyond the committed offset, including a time with no record at or after it
 *       (the target is then the partition's end): keeps the committed offset and its metadata
 *       untouched ({@link Decision#KEEP}), so a batch recorded in flight is re-formed with its
 *       own token, as after a crash;</li>
 *   <li>no committed offset, or one past the partition's end (topic recreated or truncated): the
 *       writer would start at the earliest offset (its auto.offset.reset=earliest), so the reset
 *       commits the earliest offset explicitly ({@link Decision#START_AT_EARLIEST}), whatever the
 *       consumer's reset policy; any later target would skip records the group never stored.</li>
 * </ul>
 */
public record ReplayPlan(List<Step> steps) {

    public enum Decision { MOVE_BACK, KEEP, START_AT_EARLIEST }

    /**
     * One partition.
     *
     * @param committed the group's committed offset, null if none
     * @param recordedEnd the end of a batch recorded in flight at the committed offset, or -1
     * @param wanted the target: earliest, the first record at or after the time, or {@code end} if none
     * @param noRecordAfterTime the time was given and the partition has no record at or after it
     * @param to where the group is after the reset
     */
    public record Step(int partition, Long committed, long recordedEnd, long earliest, long end, long wanted,
            boolean noRecordAfterTime, long to, Decision decision) {

        /** Records the group has stored and reads again. */
        public long reRead() {
            return decision == Decision.MOVE_BACK ? committed - to : 0;
        }

        /** Records past what the group has stored: still to be read, now as before the reset. */
        public long notYetStored() {
            long from = decision == Decision.START_AT_EARLIEST ? earliest : Math.max(earliest, committed);
            return Math.max(0, end - from);
        }

        /** Whether the reset writes this partition's offset (a kept one is left as it is, metadata and all). */
        public boolean commits() {
            return decision != Decision.KEEP;
        }

        String describe() {
            String from = committed == null ? "none" : Long.toString(committed);
            String counts = String.format("(%d to re-read, %d not yet stored)", reRead(), notYetStored());
            String line = String.format("  partition %d: %s -> %d %s", partition, from, to, counts);
            return switch (decision) {
                case MOVE_BACK -> line + (recordedEnd > committed
                        ? String.format("; the batch recorded in flight at %d..%d is re-read with the rest (its mark is dropped)",
                                committed, recordedEnd - 1)
                        : "");
                case KEEP -> line + ": kept its committed offset, " + keptBecause() + (recordedEnd > committed
                        ? String.format("; the batch recorded in flight at %d..%d is re-formed first, with its own token",
                                committed, recordedEnd - 1)
                        : "");
                case START_AT_EARLIEST -> line + ": " + (committed == null
                        ? "no committed offset"
                        : "the committed offset is past the end " + end + " (topic recreated or truncated?)")
                        + ", so it starts at the earliest offset, where the writer would (auto.offset.reset=earliest)"
                        + (wanted > earliest ? String.format("; the target %d would skip records never stored", wanted) : "");
            };
        }

        private String keptBecause() {
            if (wanted == committed) {
                return "already at the target";
            }
            String target = noRecordAfterTime
                    ? String.format("no record at or after the time (the target would be the end, %d)", wanted)
                    : String.format("the target %d is beyond it", wanted);
            return target + ": the group has not stored the records from " + committed
                    + " on yet, and a replay never skips them";
        }
    }

    /**
     * @param committed the group's committed offsets on the topic (a partition absent or null: none)
     * @param earliest each partition's earliest offset
     * @param end each partition's end offset
     * @param atTime null for --to-earliest; else each partition's first offset at or after the time,
     *     negative if it has no record at or after it
     */
    public static ReplayPlan of(Map<Integer, OffsetAndMetadata> committed, Map<Integer, Long> earliest,
            Map<Integer, Long> end, Map<Integer, Long> atTime) {
        List<Step> steps = new ArrayList<>();
        new TreeMap<>(earliest).forEach((p, first) -> {
            long last = end.get(p);
            Long fromTime = atTime == null ? null : atTime.get(p);
            boolean noRecordAfterTime = fromTime != null && fromTime < 0;
            long wanted = atTime == null ? first : noRecordAfterTime ? last : fromTime;
            OffsetAndMetadata om = committed.get(p);
            if (om == null || om.offset() > last) {
                steps.add(new Step(p, om == null ? null : om.offset(), -1, first, last, wanted, noRecordAfterTime, first,
                        Decision.START_AT_EARLIEST));
                return;
            }
            long c = om.offset();
            long recordedEnd = RangeMark.end(om.metadata()).orElse(-1);
            Decision decision = wanted < c ? Decision.MOVE_BACK : Decision.KEEP;
            steps.add(new Step(p, c, recordedEnd, first, last, wanted, noRecordAfterTime,
                    Math.min(wanted, c), decision));
        });
        return new ReplayPlan(List.copyOf(steps));
    }

    /** The offsets to write: plain offsets, without metadata (a dropped mark is described above). */
    public Map<Integer, Long> toCommit() {
        Map<Integer, Long> out = new LinkedHashMap<>();
        steps.stream().filter(Step::commits).forEach(s -> out.put(s.partition(), s.to()));
        return out;
    }

    /** Where each partition is after the reset. */
    public Map<Integer, Long> target() {
        Map<Integer, Long> out = new TreeMap<>();
        steps.forEach(s -> out.put(s.partition(), s.to()));
        return out;
    }

    public List<Integer> kept() {
        return steps.stream().filter(s -> s.decision() == Decision.KEEP && s.wanted() != s.committed())
                .map(Step::partition).toList();
    }

    public long recordsToReRead() {
        return steps.stream().mapToLong(Step::reRead).sum();
    }

    public long recordsNotYetStored() {
        return steps.stream().mapToLong(Step::notYetStored).sum();
    }

    public Step step(int partition) {
        return steps.stream().filter(s -> s.partition() == partition).findFirst().orElseThrow();
    }

    /** One line per partition, then the totals. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        steps.forEach(s -> out.append(s.describe()).append(String.format("%n")));
        out.append(String.format("%d records will be re-read; %d records not yet stored are read as well%n",
                recordsToReRead(), recordsNotYetStored()));
        if (!kept().isEmpty()) {
            out.append(String.format("partitions %s kept their committed offset: the group lags behind the target there,"
                    + " and a replay never skips what is not stored yet%n", kept()));
        }
        return out.toString();
    }
}
