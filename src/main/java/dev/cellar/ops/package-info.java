/**
 * Living with a cache: the operations behind both {@code %cellar} in the kernel and the
 * {@code cellar} command ({@code ls, show, why, rm, gc, stats, verify, export, store}). Each returns a
 * {@link dev.cellar.ops.Report} that renders as aligned text, HTML or JSON, so the two surfaces share
 * one implementation and differ only in how they print.
 *
 * <p>May import: the JDK, cellar's API, {@code engine} (the {@code Entries} it works on, manifests,
 * {@code Why}, {@code Sizes}), {@code key} (ingredients), the store SPI and {@code codec.json.JsonValues}
 * (for JSON output). Only the kernel and the CLI import it.
 */
package dev.cellar.ops;
