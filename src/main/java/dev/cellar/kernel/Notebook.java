package dev.cellar.kernel;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.cellar.kernel.display.MimeBundle;
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

    /** The mime bundle of display data (the library keeps it private; read it through its JSON form). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> dataOf(DisplayData d) {
        Map<String, Object> tree = GSON.fromJson(GSON.toJson(d), new TypeToken<Map<String, Object>>() { }.getType());
        Object data = tree.get("data");
        return data instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
