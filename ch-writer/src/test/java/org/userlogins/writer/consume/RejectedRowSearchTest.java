package org.userlogins.writer.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userlogins.writer.testing.Records.row;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.userlogins.events.DlqReason;
import org.userlogins.writer.batch.Row;
import org.userlogins.writer.dlq.DeadLetters.Letter;
import org.userlogins.writer.ops.WriterMetrics;
import org.userlogins.writer.sink.InsertException;
import org.userlogins.writer.testing.InMemoryRowSink;

/** The search's inserts, one by one, on small ranges (offsets 0..7 carry ids 1..8). */
class RejectedRowSearchTest {
    private final InMemoryRowSink sink = new InMemoryRowSink();
    private final List<Row> rows = LongStream.rangeClosed(1, 8).mapToObj(id -> row(0, id - 1, id)).toList();

    @Test
    void shouldInsertAnAcceptedRangeOnceWithItsToken() throws Exception {
        RejectedRowSearch.Result result = search(500).insert(rows);

        assertThat(result).isEqualTo(new RejectedRowSearch.Result(1, 1, 8, List.of()));
        assertThat(sink.attemptedTokens).singleElement().asString().startsWith("user_logins:p0:0-7#");
    }

    @Test
    void shouldTakeOutEachRowAConstraintNamesAndStoreTheRestAsOnePart() throws Exception {
        sink.rejectRowsWhere(r -> Set.of(3L, 6L).contains(r.event().id()));

        RejectedRowSearch.Result result = search(500).insert(rows);

        assertThat(result.inserts()).as("b + 1").isEqualTo(3);
        assertThat(sink.storedParts).singleElement().extracting(p -> p.stream().map(r -> r.event().id()).toList())
                .isEqualTo(List.of(1L, 2L, 4L, 5L, 7L, 8L));
        assertThat(result.letters()).extracting(l -> l.reason().code() + "@" + l.source().offset())
                .containsExactly("clickhouse_rejected@2", "clickhouse_rejected@5");
        assertThat(result.letters().get(0).detail()).contains("is violated at row 3");
    }

    @Test
    void shouldSplitInHalvesWhenNoRowIsNamed() throws Exception {
        sink.rejectRowsWithoutNamingThem(r -> r.event().id() == 3);

        RejectedRowSearch.Result result = search(500).insert(rows);

        // 0-7 refused; 0-3 refused, 4-7 stored; 0-1 stored, 2-3 refused; 2 refused alone, 3 stored
        assertThat(sink.attemptedTokens).extracting(t -> t.substring(0, t.indexOf('#'))).containsExactly(
                "user_logins:p0:0-7", "user_logins:p0:0-3", "user_logins:p0:4-7", "user_logins:p0:0-1", "user_logins:p0:2-3",
                "user_logins:p0:2-2", "user_logins:p0:3-3");
        assertThat(result).extracting(RejectedRowSearch.Result::inserts, RejectedRowSearch.Result::storedParts,
                RejectedRowSearch.Result::storedRows).containsExactly(7, 3, 7);
        assertThat(result.letters()).extracting(Letter::reason).containsExactly(DlqReason.CLICKHOUSE_REJECTED);
    }

    @Test
    void shouldSendThePartsLeftWhenTheInsertsAreSpentToTheDlqUnsorted() throws Exception {
        sink.rejectRowsWithoutNamingThem(r -> r.event().id() == 3);

        RejectedRowSearch.Result result = search(3).insert(rows);

        // 0-7 refused; 0-3 refused, 4-7 stored; then 0-1 and 2-3 are left untried
        assertThat(result.inserts()).isEqualTo(3);
        assertThat(sink.storedIds()).containsExactly(5L, 6L, 7L, 8L);
        assertThat(result.letters()).extracting(l -> l.reason().code() + "@" + l.source().offset()).containsExactly(
                "clickhouse_rejected_unsorted@0", "clickhouse_rejected_unsorted@1", "clickhouse_rejected_unsorted@2",
                "clickhouse_rejected_unsorted@3");
        assertThat(result.letters().get(0).detail()).startsWith("not sorted out: ClickHouse refused the 2 rows (p0:0-1)")
                .contains("FUNCTION_THROW_IF_VALUE_IS_NON_ZERO");
    }

    @Test
    void shouldStopAtATransientFailureWithNothingForTheDlq() {
        sink.rejectRowsWhere(r -> r.event().id() == 3);
        RejectedRowSearch search = new RejectedRowSearch(sink.intercepting((part, token) -> {
            if (part.size() < rows.size()) {
                throw new InsertException(InsertException.Kind.TRANSIENT, "timeout", null);
            }
            sink.insert(part, token);
        }), "user_logins", new WriterMetrics(new SimpleMeterRegistry()), () -> 0L, 500);

        assertThatThrownBy(() -> search.insert(rows)).isInstanceOf(InsertException.class).hasMessage("timeout");
    }

    private RejectedRowSearch search(int maxInserts) {
        return new RejectedRowSearch(sink, "user_logins", new WriterMetrics(new SimpleMeterRegistry()), () -> 0L, maxInserts);
    }
}
