/**
 * The {@code cellar} command: {@code ls, show, why, rm, gc, stats, verify, export, store} from a
 * shell, over {@link dev.cellar.ops.Operations} (the same implementation {@code %cellar} uses).
 *
 * <p>May import: the JDK, cellar's API, {@code engine}, {@code ops}, {@code store} and {@code codec},
 * and picocli, which no other package imports (docs/architecture.md).
 */
package dev.cellar.cli;
