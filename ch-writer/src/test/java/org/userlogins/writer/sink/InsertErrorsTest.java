package org.userlogins.writer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ClientException;
import com.clickhouse.client.api.ServerException;
import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InsertErrorsTest {
    @Test
    void shouldRetryOutagesAndOverload() {
        assertThat(InsertErrors.classify(new ClientException("failed", new ConnectException("Connection refused"))).kind())
                .isEqualTo(InsertException.Kind.TRANSIENT);
        assertThat(InsertErrors.classify(new ExecutionException(server(252, "TOO_MANY_PARTS"))).kind())
                .isEqualTo(InsertException.Kind.TRANSIENT);
        assertThat(InsertErrors.classify(server(0, "503 Service Unavailable")).kind()).isEqualTo(InsertException.Kind.TRANSIENT);
    }

    @Test
    void shouldBisectOnContentErrorsAndStopOnConfigurationErrors() {
        assertThat(InsertErrors.classify(server(321, "out of range")).kind()).isEqualTo(InsertException.Kind.DATA);
        assertThat(InsertErrors.classify(server(469, "constraint violated")).kind()).isEqualTo(InsertException.Kind.DATA);
        assertThat(InsertErrors.classify(server(60, "unknown table")).kind()).isEqualTo(InsertException.Kind.FATAL);
        assertThat(InsertErrors.isAuthFailure(new ExecutionException(server(516, "auth")))).isTrue();
        assertThat(InsertErrors.isAuthFailure(server(252, "parts"))).isFalse();
        assertThat(InsertErrors.isAccessDenied(new ExecutionException(server(497, "not enough privileges")))).isTrue();
        assertThat(InsertErrors.isAccessDenied(server(516, "auth"))).isFalse();
    }

    @Test
    void shouldReadTheRowAConstraintNamesAndNoneFromOtherErrors() {
        String violated = "Code: 469. DB::Exception: Constraint `no_bad` for table db.user_logins (1dbe0ae5-3ef1) is violated at "
                + "row 37. Expression: (ifNull(username, '') != 'bad'). Column values: username = 'bad'. (VIOLATED_CONSTRAINT)";

        assertThat(InsertErrors.classify(server(469, violated)).rejectedRow()).hasValue(37);
        assertThat(InsertErrors.classify(server(469, "Constraint `c` is violated. Expression: (x)")).rejectedRow()).isEmpty();
        assertThat(InsertErrors.classify(server(27, "Cannot parse input: expected '\\t' (at row 5)")).rejectedRow())
                .as("a parse error's row may be where a misread stream broke, not the bad row").isEmpty();
        assertThat(InsertErrors.classify(server(469, "is violated at row 99999999999")).rejectedRow()).isEmpty();
    }

    @Test
    void shouldKeepOnlyTheFirstLineOfTheMessage() {
        assertThat(InsertErrors.classify(server(321, "first\nsecond")).getMessage()).isEqualTo("ServerException: first");
    }

    @Test
    void shouldNameTheRootCause() {
        assertThat(InsertErrors.classify(new ClientException("Insert request failed", new ConnectException("Connection refused"))).getMessage())
                .isEqualTo("ClientException: Insert request failed (cause: ConnectException: Connection refused)");
    }

    private static ServerException server(int code, String message) {
        return new ServerException(code, message, 500, "q1");
    }
}
