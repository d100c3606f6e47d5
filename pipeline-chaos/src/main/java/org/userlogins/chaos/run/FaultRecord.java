package org.userlogins.chaos.run;

import org.userlogins.chaos.plan.PlannedFault;

/**
 * What happened to one planned fault.
 *
 * @param startMs when it was injected (epoch ms)
 * @param endMs when it ended: the restart of what was stopped began
 * @param recoveryMs from endMs until the pipeline was back to normal lag; -1 if not within the bound
 * @param note what went wrong while injecting or healing, or empty
 */
record FaultRecord(PlannedFault fault, long startMs, long endMs, long recoveryMs, String note) {
}
