package org.userlogins.ops.redrive;

import java.util.Map;
import java.util.TreeMap;

/** What a re-drive found and did, per {@code dlq.reason}. */
public final class RedriveReport {
    private final Map<String, int[]> byReason = new TreeMap<>(); // in DLQ, matched, re-driven, already, no target
    private int planned;
    private int redriven;
    private int alreadyRedriven;

    void seen(DeadLetter letter) {
        counts(letter)[0]++;
    }

    void matched(DeadLetter letter) {
        counts(letter)[1]++;
    }

    void redriven(String reason) {
        counts(reason)[2]++;
        redriven++;
    }

    void alreadyRedriven(DeadLetter letter) {
        counts(letter)[3]++;
        alreadyRedriven++;
    }

    void noTarget(DeadLetter letter) {
        counts(letter)[4]++;
    }

    private int[] counts(DeadLetter letter) {
        return counts(letter.reason());
    }

    private int[] counts(String reason) {
        return byReason.computeIfAbsent(reason, r -> new int[5]);
    }

    void plan() {
        planned++;
    }

    /** Matched, not re-driven before, with a known target: what this run re-drives (or would, dry). */
    public int planned() {
        return planned;
    }

    public int redriven() {
        return redriven;
    }

    public int alreadyRedriven() {
        return alreadyRedriven;
    }

    public String describe() {
        StringBuilder out = new StringBuilder(String.format("  %-28s %8s %8s %10s %8s %10s%n",
                "dlq.reason", "in DLQ", "matched", "re-driven", "earlier", "no target"));
        byReason.forEach((reason, c) -> out.append(String.format("  %-28s %8d %8d %10d %8d %10d%n", reason, c[0], c[1], c[2], c[3], c[4])));
        return out.toString();
    }
}
