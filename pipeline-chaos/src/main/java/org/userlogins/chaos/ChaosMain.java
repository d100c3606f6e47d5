package org.userlogins.chaos;

import org.userlogins.chaos.config.ChaosOptions;
import org.userlogins.chaos.run.ChaosRun;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.ops.OpsSettings;

/** `./pipeline chaos [--duration 3m] [--seed N]`: one fault-injection run, its report on stdout. */
public final class ChaosMain {
    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        ChaosOptions options;
        OpsSettings settings;
        try {
            Env env = Env.system();
            options = ChaosOptions.from(args, env);
            settings = OpsSettings.fromEnv(env);
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new ChaosRun(options, settings).run());
    }
}
