package dev.cellar.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A log–log SVG of median time against payload size, one panel per operation (restore, store). */
final class Plot {
    private static final String[] COLORS = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f"};
    private static final int PANEL_W = 480;
    private static final int LEFT = 80;
    private static final int TOP = 40;
    private static final int PLOT_W = 360;
    private static final int PLOT_H = 230;

    private Plot() {}

    static String svg(Map<String, Map<String, List<Report.Point>>> panels) {
        int width = PANEL_W * Math.max(1, panels.size());
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                        + "font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                width, TOP + PLOT_H + 60 + 16 * maxSeries(panels)));
        int px = 0;
        for (Map.Entry<String, Map<String, List<Report.Point>>> panel : panels.entrySet()) {
            panel(s, px, panel.getKey(), panel.getValue());
            px += PANEL_W;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static int maxSeries(Map<String, Map<String, List<Report.Point>>> panels) {
        return panels.values().stream().mapToInt(Map::size).max().orElse(0);
    }

    private static void panel(StringBuilder s, int x0, String title, Map<String, List<Report.Point>> series) {
        List<Report.Point> all = new ArrayList<>();
        series.values().forEach(all::addAll);
        all.removeIf(p -> !(p.ms() > 0) || p.bytes() <= 0);
        if (all.isEmpty()) {
            return;
        }
        double xmin = Math.floor(Math.log10(all.stream().mapToLong(Report.Point::bytes).min().getAsLong()));
        double xmax = Math.ceil(Math.log10(all.stream().mapToLong(Report.Point::bytes).max().getAsLong()));
        double ymin = Math.floor(Math.log10(all.stream().mapToDouble(Report.Point::ms).min().getAsDouble()));
        double ymax = Math.ceil(Math.log10(all.stream().mapToDouble(Report.Point::ms).max().getAsDouble()));
        if (xmax <= xmin) {
            xmax = xmin + 1;
        }
        if (ymax <= ymin) {
            ymax = ymin + 1;
        }
        int ox = x0 + LEFT;
        int oy = TOP + PLOT_H;
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
                ox, esc(title)));
        s.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>\n",
                ox, TOP, PLOT_W, PLOT_H));
        for (double d = xmin; d <= xmax + 1e-9; d++) {
            double x = ox + (d - xmin) / (xmax - xmin) * PLOT_W;
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x, TOP, x, oy, x, oy + 15, esc(Report.size((long) Math.pow(10, d)))));
        }
        for (double d = ymin; d <= ymax + 1e-9; d++) {
            double y = oy - (d - ymin) / (ymax - ymin) * PLOT_H;
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    ox, y, ox + PLOT_W, y, ox - 4, y + 4, esc(Report.ms(Math.pow(10, d)))));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">payload size</text>\n",
                ox + PLOT_W / 2, oy + 32));
        s.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">median time</text>\n",
                x0 + 14, TOP + PLOT_H / 2, x0 + 14, TOP + PLOT_H / 2));
        int i = 0;
        int ly = oy + 50;
        for (Map.Entry<String, List<Report.Point>> e : series.entrySet()) {
            String color = COLORS[i % COLORS.length];
            String dash = e.getKey().startsWith("cellar") ? "" : " stroke-dasharray=\"5,3\"";
            StringBuilder pts = new StringBuilder();
            for (Report.Point p : e.getValue().stream().sorted((a, b) -> Long.compare(a.bytes(), b.bytes())).toList()) {
                if (!(p.ms() > 0)) {
                    continue;
                }
                double x = ox + (Math.log10(p.bytes()) - xmin) / (xmax - xmin) * PLOT_W;
                double y = oy - (Math.log10(p.ms()) - ymin) / (ymax - ymin) * PLOT_H;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                        x, y, color));
            }
            s.append(String.format(Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
                    pts.toString().trim(), color, e.getKey().startsWith("cellar") ? "2.5" : "1.5", dash));
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                            + "<text x=\"%d\" y=\"%d\">%s</text>\n",
                    ox, ly - 4, ox + 24, ly - 4, color, dash, ox + 30, ly, esc(e.getKey())));
            ly += 16;
            i++;
        }
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
