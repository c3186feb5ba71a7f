package dev.cellar.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.function.Consumer;

/**
 * Functions that notebook code calls; the kernel imports them statically into every session, so a
 * cell can write {@code display(table)} or {@code html("<b>done</b>")}.
 */
public final class Notebook {
    private static volatile Consumer<DisplayData> sink;

    private Notebook() {
    }

    static void connect(Consumer<DisplayData> displaySink) {
        sink = displaySink;
    }

    /** Shows a value below the cell: tables (maps of columns, lists of records) as HTML, others as text. */
    public static void display(Object value) {
        Consumer<DisplayData> s = sink;
        if (s == null) {
            System.out.println(ValueText.of(value));
        } else {
            s.accept(Rich.render(value));
        }
    }

    /** Shows an HTML fragment below the cell. */
    public static void html(String html) {
        DisplayData d = new DisplayData(html);
        d.putHTML(html);
        display(d);
    }
}
