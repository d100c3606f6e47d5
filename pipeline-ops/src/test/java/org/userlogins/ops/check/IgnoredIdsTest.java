package org.userlogins.ops.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoredIdsTest {

    @Test
    void shouldReadBackTheRangesAppendedByEachDemoRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("check-ignore-ids");
        IgnoredIds.append(file, 1, 200);
        IgnoredIds.append(file, 3291, 3490);

        IgnoredIds ignored = IgnoredIds.read(file);

        assertThat(ignored.count()).isEqualTo(400);
        assertThat(ignored.contains(200)).isTrue();
        assertThat(ignored.contains(201)).isFalse();
        assertThat(ignored.contains(3291)).isTrue();
    }

    @Test
    void shouldIgnoreNothingWithoutAFile(@TempDir Path dir) throws Exception {
        assertThat(IgnoredIds.read(dir.resolve("absent")).count()).isZero();
        assertThat(Files.exists(dir.resolve("absent"))).isFalse();
    }
}
