/**
 * The {@code cellar} command: {@code ls, show, why, rm, gc, stats, verify, export, store} from a
 * shell, over {@link dev.cellar.ops.Operations} (the same implementation {@code %cellar} uses). The only
 * package importing picocli.
 */
package dev.cellar.cli;
