/**
 * Running notebook code: an in-process JShell that evaluates whole cells ({@link
 * dev.cellar.kernel.jshell.JShellEvaluator}), user code on its own interruptible thread ({@code
 * UserCodeControl}), the class loader that finds classes defined in cells for decoding ({@link
 * dev.cellar.kernel.jshell.SessionClassLoader}), the token scanner that finds identifiers ({@link
 * dev.cellar.kernel.jshell.JavaTokens}), cell errors ({@link dev.cellar.kernel.jshell.CellError}),
 * the owner of {@code System.out}/{@code err} ({@link dev.cellar.kernel.jshell.OutputRouter}), the
 * {@link dev.cellar.kernel.jshell.Bridge} that generated snippets use to hand objects over, and {@code
 * Declarations}, which declares a hit's outputs in one compile through {@code jdk.jshell}'s internals.
 *
 * <p>May import: the JDK (including {@code jdk.jshell}) and {@code kernel.display}. Nothing from
 * cellar's store, nor the protocol libraries.
 */
package dev.cellar.kernel.jshell;
