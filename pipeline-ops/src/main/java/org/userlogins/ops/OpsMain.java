package org.userlogins.ops;

import java.util.Arrays;
import org.userlogins.kit.ConfigException;
import org.userlogins.kit.Env;
import org.userlogins.ops.check.Reconcile;
import org.userlogins.ops.demo.DemoLoad;
import org.userlogins.ops.monitor.DashboardCheck;
import org.userlogins.ops.preflight.Preflight;
import org.userlogins.ops.redrive.RedriveTool;
import org.userlogins.ops.replay.ReplayTool;
import org.userlogins.ops.resend.ResendTool;
import org.userlogins.ops.slot.SlotTool;
import org.userlogins.ops.status.PipelineStatus;

/**
 * `./pipeline status | check | demo | replay | redrive | resend | drop-slot` and the monitoring test's dashboard-check land here: one JVM per command,
 * the report on stdout. The operator's tools live here, not in the service jars.
 */
public final class OpsMain {
    private OpsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: OpsMain status|check|demo|replay|redrive|resend|drop-slot|preflight|dashboard-check [options]");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int exit;
        try {
            OpsSettings settings = OpsSettings.fromEnv(Env.system());
            exit = switch (args[0]) {
                case "status" -> PipelineStatus.run(settings);
                case "check" -> Reconcile.run(settings, rest);
                case "demo" -> DemoLoad.run(settings, rest);
                case "replay" -> ReplayTool.run(rest, settings);
                case "redrive" -> RedriveTool.run(rest, settings);
                case "resend" -> ResendTool.run(rest, settings);
                case "drop-slot" -> SlotTool.drop(settings);
                case "dashboard-check" -> DashboardCheck.run(rest);
                case "preflight" -> Preflight.run(rest, settings, Env.system());
                default -> throw new ConfigException("unknown command " + args[0] + "; use status, check, demo, replay, redrive, resend, drop-slot, preflight or dashboard-check");
            };
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            exit = 2;
        }
        System.exit(exit);
    }
}
