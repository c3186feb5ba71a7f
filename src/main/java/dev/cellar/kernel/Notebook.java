package dev.cellar.kernel;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.cellar.kernel.display.MimeBundle;
import dev.cellar.kernel.display.Renderers;
import dev.cellar.kernel.display.Rich;
import dev.cellar.kernel.display.ValueText;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Functions that notebook code calls; the kernel imports them statically into every session, so a
 * cell can write {@code display(table)} or {@code html("<b>done</b>")}.
 */
public final class Notebook {
    private static final Gson GSON = new Gson();
    private static volatile Consumer<MimeBundle> sink;

    private Notebook() {
    }

    static void connect(Consumer<MimeBundle> displaySink) {
        sink = displaySink;
    }

    private static volatile Consumer<MimeBundle> pager;
    private static volatile Consumer<Boolean> clearer;

    static void connectFrontEnd(Consumer<MimeBundle> pagerSink, Consumer<Boolean> clearSink) {
        pager = pagerSink;
        clearer = clearSink;
    }

    /** Shows a value in the front end's pager (a panel below the notebook, or the console's pager). */
    public static void page(Object value) {
        Consumer<MimeBundle> p = pager;
        if (p == null) {
            System.out.println(ValueText.of(value));
        } else {
            p.accept(value instanceof String s ? MimeBundle.text(s) : Rich.render(value));
        }
    }

    /** Clears the output of the running cell so far (for progress displays that redraw themselves). */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears the output of the running cell; with {@code wait}, only when the next output arrives. */
    public static void clearOutput(boolean wait) {
        Consumer<Boolean> c = clearer;
        if (c != null) {
            c.accept(wait);
        }
    }

    /** Shows a value below the cell: tables (maps of columns, lists of records) as HTML, others as text. */
    public static void display(Object value) {
        Consumer<MimeBundle> s = sink;
        if (s == null) {
            System.out.println(ValueText.of(value));
        } else {
            s.accept(value instanceof DisplayData d ? new MimeBundle(dataOf(d)) : Rich.render(value));
        }
    }

    /** Shows an HTML fragment below the cell. */
    public static void html(String html) {
        display(MimeBundle.text(html).with(MimeBundle.HTML, html));
    }

    /** Shows an SVG picture (the text of an {@code <svg>} element) below the cell. */
    public static void svg(String svg) {
        display(Renderers.svg(svg));
    }

    /** Shows Markdown below the cell. */
    public static void markdown(String markdown) {
        display(Renderers.markdown(markdown));
    }

    /** Shows LaTeX below the cell; math goes between {@code $...$} or {@code $$...$$}. */
    public static void latex(String latex) {
        display(Renderers.latex(latex));
    }

    /**
     * From now on shows values of {@code type} as {@code renderer} says: a map of MIME type to data, such
     * as {@code Map.of("text/html", "<b>" + v + "</b>")} (a {@code text/plain} entry is added if missing);
     * null leaves the value to the other renderers. The last registration for a type is asked first.
     */
    public static <T> void registerRenderer(Class<T> type, java.util.function.Function<? super T, ? extends Map<String, ?>> renderer) {
        Renderers.register(type, v -> {
            Map<String, ?> data = renderer.apply(v);
            return data == null ? null : new MimeBundle(new java.util.LinkedHashMap<>(data));
        });
    }

    /** The mime bundle of display data (the library keeps it private; read it through its JSON form). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> dataOf(DisplayData d) {
        Map<String, Object> tree = GSON.fromJson(GSON.toJson(d), new TypeToken<Map<String, Object>>() { }.getType());
        Object data = tree.get("data");
        return data instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
