package dev.cellar.kernel.display;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * The renderer registry: how a value becomes a MIME bundle when a cell displays it or ends with it.
 * Renderers registered by users and libraries are asked first, the most recent first; then the
 * built-in ones: pictures ({@link RenderedImage}, and XChart charts when XChart is on the session's
 * class path) as PNG, SVG text as {@code image/svg+xml}; anything else falls to {@link Rich} (tables
 * as HTML, short text). Each bundle also carries {@code text/plain}, which front ends without the
 * richer type show.
 */
public final class Renderers {
    public static final String PNG = "image/png";
    public static final String SVG = "image/svg+xml";
    public static final String MARKDOWN = "text/markdown";
    public static final String LATEX = "text/latex";
    /** XChart's base class of every chart; looked up by name so the kernel does not depend on XChart. */
    static final String XCHART_CHART = "org.knowm.xchart.internal.chartpart.Chart";

    private record Registration(Class<?> type, Function<Object, MimeBundle> renderer) {}

    private static final List<Registration> REGISTERED = new CopyOnWriteArrayList<>();

    private Renderers() {
    }

    /**
     * Renders values of {@code type} (and its subtypes) with {@code renderer} from now on, before the
     * built-in renderers; a renderer that returns null passes the value on to the next one.
     */
    public static <T> void register(Class<T> type, Function<? super T, MimeBundle> renderer) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(renderer, "renderer");
        REGISTERED.add(0, new Registration(type, v -> renderer.apply(type.cast(v))));
    }

    /** Forgets the renderers registered for exactly {@code type}. */
    public static void unregister(Class<?> type) {
        REGISTERED.removeIf(r -> r.type() == type);
    }

    /** The bundle of the first renderer that takes {@code value}, or null if only {@link Rich} would. */
    static MimeBundle renderSpecial(Object value) {
        if (value == null) {
            return null;
        }
        for (Registration r : REGISTERED) {
            if (r.type().isInstance(value)) {
                MimeBundle b = r.renderer().apply(value);
                if (b != null) {
                    return b.data().containsKey(MimeBundle.TEXT) ? b : b.with(MimeBundle.TEXT, ValueText.of(value));
                }
            }
        }
        if (value instanceof RenderedImage image) {
            return image(image, image.getWidth() + "x" + image.getHeight() + " image");
        }
        if (isA(value.getClass(), XCHART_CHART)) {
            return chart(value);
        }
        if (value instanceof String s && looksLikeSvg(s)) {
            return svg(s);
        }
        return null;
    }

    /** A picture as PNG, with {@code text} as its plain-text form. */
    public static MimeBundle image(RenderedImage image, String text) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                return MimeBundle.text(text + " (no PNG writer for this image type)");
            }
        } catch (IOException e) {
            return MimeBundle.text(text + " (cannot encode as PNG: " + e.getMessage() + ")");
        }
        return MimeBundle.text(text).with(PNG, Base64.getEncoder().encodeToString(png.toByteArray()));
    }

    public static MimeBundle svg(String svg) {
        return MimeBundle.text("SVG image").with(SVG, svg);
    }

    public static MimeBundle html(String html) {
        return MimeBundle.text(html).with(MimeBundle.HTML, html);
    }

    public static MimeBundle markdown(String markdown) {
        return MimeBundle.text(markdown).with(MARKDOWN, markdown);
    }

    /** LaTeX; front ends expect math between {@code $...$} or {@code $$...$$}. */
    public static MimeBundle latex(String latex) {
        return MimeBundle.text(latex).with(LATEX, latex);
    }

    static boolean looksLikeSvg(String s) {
        String t = s.strip();
        if (t.startsWith("<?xml")) {
            int end = t.indexOf("?>");
            t = end < 0 ? t : t.substring(end + 2).strip();
        }
        return t.startsWith("<svg") && t.endsWith("</svg>");
    }

    /**
     * An XChart chart drawn to a picture by XChart's own {@code BitmapEncoder}, found through the chart's
     * class loader (the session's, which loaded XChart from a jar the notebook added).
     */
    private static MimeBundle chart(Object chart) {
        String text = chart.getClass().getSimpleName();
        try {
            Class<?> chartType = Class.forName(XCHART_CHART, false, chart.getClass().getClassLoader());
            Class<?> encoder = Class.forName("org.knowm.xchart.BitmapEncoder", true, chart.getClass().getClassLoader());
            Method toImage = encoder.getMethod("getBufferedImage", chartType);
            Object image = toImage.invoke(null, chart);
            Object title = chartType.getMethod("getTitle").invoke(chart);
            if (title instanceof String t && !t.isBlank()) {
                text = text + " \"" + t + "\"";
            }
            return image((RenderedImage) image, text);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return MimeBundle.text(text + " (cannot draw it: " + cause + ")");
        }
    }

    private static boolean isA(Class<?> c, String className) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
