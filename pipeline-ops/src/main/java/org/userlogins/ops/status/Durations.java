package org.userlogins.ops.status;

/** Ages and estimates in words a person reads at a glance: 42 s, 7 min, 3 h 5 min, 2 d 4 h. */
final class Durations {
    private Durations() {
    }

    static String human(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
    }
}
