/**
 * Showing values in a notebook: {@link dev.cellar.kernel.display.MimeBundle} (data by MIME type, the
 * kernel's own form of display data), {@link dev.cellar.kernel.display.Rich} (tables as HTML) and
 * {@link dev.cellar.kernel.display.ValueText} (short text: arrays and big collections abbreviated), and
 * the renderer registry {@link dev.cellar.kernel.display.Renderers} (pictures as PNG, XChart charts
 * found by reflection, SVG, Markdown, LaTeX, and renderers users register for their own types).
 *
 * <p>May import: the JDK only (including {@code java.desktop} for images). Every other kernel package may import this one.
 */
package dev.cellar.kernel.display;
