/**
 * Showing values in a notebook: {@link dev.cellar.kernel.display.MimeBundle} (data by MIME type, the
 * kernel's own form of display data), {@link dev.cellar.kernel.display.Rich} (tables as HTML) and
 * {@link dev.cellar.kernel.display.ValueText} (short text: arrays and big collections abbreviated).
 * Renderers for more types go here.
 *
 * <p>May import: the JDK only. Every other kernel package may import this one.
 */
package dev.cellar.kernel.display;
