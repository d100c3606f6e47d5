package org.userlogins.capture.flag;

import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link SentFlag} in memory: a set of ids whose committed flag is TRUE, the ids of each claim,
 * and hooks that see every step; can fail its first claims or commits like a lost connection.
 */
public final class InMemorySentFlag implements SentFlag {
    /** Ids whose committed flag is TRUE. */
    public final Set<Long> committedTrue = new HashSet<>();
    /** The ids of every claim, as asked. */
    public final List<long[]> claims = new ArrayList<>();
    private Set<Long> pending = Set.of();
    private int claimFailuresLeft;
    private int commitFailuresLeft;
    private Consumer<String> steps = step -> { };

    public InMemorySentFlag failingFirstClaims(int failures) {
        this.claimFailuresLeft = failures;
        return this;
    }

    public InMemorySentFlag failingFirstCommits(int failures) {
        this.commitFailuresLeft = failures;
        return this;
    }

    public InMemorySentFlag flaggedBefore(long... ids) {
        Arrays.stream(ids).forEach(committedTrue::add);
        return this;
    }

    /** Sees "claim [ids]", "commit" and "rollback" as they happen. */
    public InMemorySentFlag onStep(Consumer<String> hook) {
        this.steps = hook;
        return this;
    }

    @Override
    public Set<Long> claim(long[] ids) throws SQLTransientConnectionException {
        steps.accept("claim " + Arrays.toString(ids));
        claims.add(ids.clone());
        if (claimFailuresLeft > 0) {
            claimFailuresLeft--;
            throw new SQLTransientConnectionException("connection lost", "08006");
        }
        Set<Long> claimed = new HashSet<>();
        Arrays.stream(ids).filter(id -> !committedTrue.contains(id)).forEach(claimed::add);
        pending = claimed;
        return Set.copyOf(claimed);
    }

    @Override
    public void commit() throws SQLTransientConnectionException {
        steps.accept("commit");
        if (commitFailuresLeft > 0) {
            commitFailuresLeft--;
            pending = Set.of();
            throw new SQLTransientConnectionException("connection lost at commit", "08006");
        }
        committedTrue.addAll(pending);
        pending = Set.of();
    }

    @Override
    public void rollback() {
        steps.accept("rollback");
        pending = Set.of();
    }
}
