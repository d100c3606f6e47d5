package org.userlogins.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An SVG document built as text: a heading, then panels, each a titled plot with a legend, a y
 * axis (linear or logarithmic), grouped bars or polylines over time. Every text is escaped.
 */
final class SvgChart {
    private static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
    /** Roughly a sans-serif character's width per point of font size, to lay out legends and labels without measuring. */
    private static final double CHAR_WIDTH = 0.6;

    static final int MISSING_HEIGHT = 44;

    private final int width;
    private final StringBuilder body = new StringBuilder();

    SvgChart(int width) {
        this.width = width;
    }

    static String color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(ch < 0x20 && ch != '\t' && ch != '\n' ? ' ' : ch); // XML 1.0 allows no other control character
            }
        }
        return out.toString();
    }

    void text(double x, double y, String text, int size, String anchor, boolean bold) {
        body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\"%s>%s</text>%n", x, y, size,
                anchor, bold ? " font-weight=\"bold\"" : "", escape(text)));
    }

    /** A panel at (x, y) of the given size: its title, its legend under it (wrapped to the width), and its plot area below. */
    Plot plot(String id, double x, double y, double w, double h, String title, List<String> legend) {
        return new Plot(id, x, y, w, h, title, legend);
    }

    /** A panel with nothing to plot: its title and a sentence saying why, {@link #MISSING_HEIGHT} high. */
    void missing(String id, double x, double y, String title, String why) {
        body.append(String.format("<g id=\"%s\">%n", escape(id)));
        text(x, y + 14, title, 14, "start", true);
        text(x + 20, y + 34, why, 12, "start", false);
        body.append("</g>\n");
    }

    /** The document, {@code height} pixels high: the panels' layout decides it. */
    String render(int height) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">%n", width, height, width, height)
                + String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height)
                + body + "</svg>\n";
    }

    /** A y axis: linear from zero up to a round figure, or logarithmic over whole decades. */
    record Axis(double min, double max, boolean log) {
        static Axis linear(double maxValue) {
            double step = niceStep(Math.max(maxValue, 1) / 5);
            return new Axis(0, Math.ceil(Math.max(maxValue, 1) / step) * step, false);
        }

        /** The decades around the values; values at or below zero are drawn at the bottom. */
        static Axis log(double minValue, double maxValue) {
            double min = Math.pow(10, Math.floor(Math.log10(Math.max(minValue, 1))));
            double max = Math.pow(10, Math.ceil(Math.log10(Math.max(maxValue, 1))));
            return new Axis(min, max > min ? max : min * 10, true);
        }

        /** 0 at the bottom, 1 at the top, clamped. */
        double fraction(double value) {
            double f = log ? (Math.log10(Math.max(value, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (value - min) / (max - min);
            return Math.max(0, Math.min(1, f));
        }

        /** Linear: every step; log: 1, 2 and 5 of each decade while they fit, else the decades only. */
        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (!log) {
                double step = niceStep(max / 5);
                for (double v = 0; v <= max + step / 2; v += step) {
                    ticks.add(v);
                }
                return ticks;
            }
            boolean minors = Math.log10(max / min) <= 4;
            for (double decade = min; decade <= max * 1.001; decade *= 10) {
                for (double m : minors ? new double[] {1, 2, 5} : new double[] {1}) {
                    if (decade * m <= max * 1.001) {
                        ticks.add(decade * m);
                    }
                }
            }
            return ticks;
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** One panel's plot area; what is drawn goes into the panel's group, named by its id. */
    final class Plot {
        private static final double LEFT_MARGIN = 64;
        private static final double BOTTOM_MARGIN = 34;
        private static final double RIGHT_MARGIN = 12;

        private final double left;
        private final double top;
        private final double right;
        private final double bottom;
        private Axis axis = Axis.linear(1);

        private Plot(String id, double x, double y, double w, double h, String title, List<String> legend) {
            body.append(String.format("<g id=\"%s\">%n", escape(id)));
            text(x, y + 14, title, 14, "start", true);
            double legendX = x + LEFT_MARGIN;
            double legendY = y + 34;
            for (int i = 0; i < legend.size(); i++) {
                double itemWidth = 22 + legend.get(i).length() * 11 * CHAR_WIDTH + 18;
                if (legendX + itemWidth > x + w && legendX > x + LEFT_MARGIN) {
                    legendX = x + LEFT_MARGIN;
                    legendY += 16;
                }
                body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"10\" fill=\"%s\"/>%n", legendX,
                        legendY - 9, color(i)));
                text(legendX + 22, legendY, legend.get(i), 11, "start", false);
                legendX += itemWidth;
            }
            left = x + LEFT_MARGIN;
            top = (legend.isEmpty() ? y + 24 : legendY) + 14;
            right = x + w - RIGHT_MARGIN;
            bottom = y + h - BOTTOM_MARGIN;
        }

        /** Grid lines and labels of the y axis; what is drawn after it is scaled by it. */
        void yAxis(Axis yAxis) {
            axis = yAxis;
            for (double tick : yAxis.ticks()) {
                double y = y(tick);
                body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", left, y, right, y));
                text(left - 6, y + 4, number(tick), 10, "end", false);
            }
            frame();
        }

        /** The x axis of a series over time: ticks at round seconds from 0 to {@code seconds}. */
        void timeAxis(double seconds, String label) {
            double step = niceStep(Math.max(seconds, 1) / 8);
            for (double t = 0; t <= seconds + 1e-9; t += step) {
                double x = left + (right - left) * t / Math.max(seconds, 1);
                body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>%n", x, bottom, x, bottom + 4));
                text(x, bottom + 16, number(t), 10, "middle", false);
            }
            text(right, bottom + 30, label, 10, "end", false);
        }

        /**
         * A polyline of values one {@code interval} apart from 0, on an x axis of {@code seconds};
         * its name as the line's title (a tooltip in a browser).
         */
        void line(String name, int colorIndex, double interval, List<? extends Number> values, double seconds) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                double x = left + (right - left) * Math.min(1, i * interval / Math.max(seconds, 1));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y(values.get(i).doubleValue())));
            }
            // a little transparent: where lines cross, the one underneath still shows
            body.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-opacity=\"0.85\" stroke-width=\"1.5\" stroke-linejoin=\"round\" "
                    + "points=\"%s\"><title>%s</title></polyline>%n", color(colorIndex), points.toString().trim(), escape(name)));
        }

        /**
         * Bars per category, one per series side by side, each with its value above it;
         * {@code values[category][series]}, NaN for none. The category's name goes under its group.
         */
        void groupedBars(List<String> categories, double[][] values) {
            double group = (right - left) / Math.max(categories.size(), 1);
            for (int c = 0; c < categories.size(); c++) {
                int series = values[c].length;
                double inner = group * 0.75;
                double bar = inner / series;
                double x0 = left + c * group + (group - inner) / 2;
                for (int s = 0; s < series; s++) {
                    double v = values[c][s];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    double y = y(v);
                    body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                            x0 + s * bar + 1, y, bar - 2, bottom - y, color(s)));
                    String label = number(v);
                    int size = (int) Math.min(10, (bar - 2) / (label.length() * CHAR_WIDTH));
                    if (size >= 7) {
                        text(x0 + (s + 0.5) * bar, y - 3, label, size, "middle", false);
                    }
                }
                text(left + (c + 0.5) * group, bottom + 16, categories.get(c), 11, "middle", false);
            }
        }

        void end() {
            body.append("</g>\n");
        }

        private void frame() {
            body.append(String.format(Locale.ROOT, "<path fill=\"none\" stroke=\"#333\" d=\"M%.1f,%.1f V%.1f H%.1f\"/>%n", left, top, bottom,
                    right));
        }

        private double y(double value) {
            return bottom - (bottom - top) * axis.fraction(value);
        }
    }
}
