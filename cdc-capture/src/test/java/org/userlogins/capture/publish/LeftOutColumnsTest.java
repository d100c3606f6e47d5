package org.userlogins.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** A column a team adds to user_logins is reported once, and again when the table changes: never dropped without a word. */
class LeftOutColumnsTest {
    private final List<SortedSet<String>> reports = new ArrayList<>();
    private final LeftOutColumns leftOut = new LeftOutColumns(reports::add);

    private static Schema row(String... extra) {
        SchemaBuilder b = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("username", Schema.OPTIONAL_STRING_SCHEMA)
                .field("event_type", Schema.OPTIONAL_STRING_SCHEMA).field("event_time", Schema.OPTIONAL_INT64_SCHEMA)
                .field("sent_to_kafka", Schema.OPTIONAL_BOOLEAN_SCHEMA);
        for (String column : extra) {
            b.field(column, Schema.OPTIONAL_STRING_SCHEMA);
        }
        return b.build();
    }

    @Test
    void shouldSayNothingForTheSeedsTableAndNameEachColumnLeftOutWhenTheTableChanges() {
        Schema seed = row();
        leftOut.observe(seed);
        leftOut.observe(seed);
        assertThat(reports).as("the seed's columns all travel; the flag is not a column to carry").isEmpty();

        Schema added = row("ip_address", "country");
        leftOut.observe(added);
        leftOut.observe(added);
        leftOut.observe(row("ip_address", "country")); // another schema object of the same shape
        assertThat(reports).containsExactly(new java.util.TreeSet<>(List.of("country", "ip_address")));

        leftOut.observe(row("ip_address"));
        leftOut.observe(seed);
        assertThat(reports).hasSize(3);
        assertThat(reports.get(1)).containsExactly("ip_address");
        assertThat(reports.get(2)).as("the column dropped again: nothing left out").isEmpty();
    }
}
