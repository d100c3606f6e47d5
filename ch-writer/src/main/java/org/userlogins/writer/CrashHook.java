package org.userlogins.writer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.writer.batch.DeliveryStage;
import org.userlogins.writer.consume.BatchFlusher;

/**
 * For the crash tests only, apart from the settings: WRITER_TEST_HALT_AT makes the process die like
 * kill -9 as soon as a batch reaches that delivery stage, so a test can prove what a next owner
 * re-forms from each stage. Unset (always, outside those tests) it does nothing.
 */
final class CrashHook {
    private static final Logger LOG = LoggerFactory.getLogger(CrashHook.class);
    static final String VARIABLE = "WRITER_TEST_HALT_AT";

    private CrashHook() {
    }

    static BatchFlusher.StageHook fromEnv(Env env) {
        String stage = env.string(VARIABLE, "");
        if (stage.isEmpty()) {
            return BatchFlusher.StageHook.NONE;
        }
        DeliveryStage haltAt;
        try {
            haltAt = DeliveryStage.valueOf(stage);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(VARIABLE + "=" + stage + " is not a stage; use RANGES_RECORDED or STORED");
        }
        LOG.warn("TEST HOOK {}={}: this writer halts when a batch reaches that stage", VARIABLE, haltAt);
        return reached -> {
            if (reached == haltAt) {
                LOG.warn("TEST HOOK {}={}: halting now", VARIABLE, haltAt);
                Runtime.getRuntime().halt(137);
            }
        };
    }
}
