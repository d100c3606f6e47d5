package org.userlogins.capture.flag;

import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A {@link SentFlag} in memory: records the ids of each call; can fail its first calls like a lost connection. */
public final class InMemorySentFlag implements SentFlag {
    public final List<long[]> calls = new ArrayList<>();
    private int failuresLeft;
    private Consumer<long[]> beforeEachCall = ids -> { };

    public InMemorySentFlag failingFirst(int failures) {
        this.failuresLeft = failures;
        return this;
    }

    public InMemorySentFlag beforeEachCall(Consumer<long[]> hook) {
        this.beforeEachCall = hook;
        return this;
    }

    @Override
    public void markSent(long[] ids) throws SQLTransientConnectionException {
        beforeEachCall.accept(ids);
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new SQLTransientConnectionException("connection lost", "08006");
        }
        calls.add(ids.clone());
    }
}
