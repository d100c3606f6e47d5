package org.userlogins.ops.preflight;

/**
 * One prerequisite of the services on a server they did not start: met, missing (with what to run
 * on that server to meet it), or not confirmed (the check could not tell; the service will say).
 */
public record Finding(String server, String what, Status status, String detail, String fix) {
    public enum Status { OK, MISSING, UNCONFIRMED }

    public static Finding ok(String server, String what) {
        return new Finding(server, what, Status.OK, "", "");
    }

    public static Finding missing(String server, String what, String detail, String fix) {
        return new Finding(server, what, Status.MISSING, detail, fix);
    }

    public static Finding unconfirmed(String server, String what, String detail) {
        return new Finding(server, what, Status.UNCONFIRMED, detail, "");
    }
}
