/**
 * Magics: how a cell reaches them ({@link dev.cellar.kernel.magic.Magics}: {@code %%name} cell magics,
 * {@code %name} line magics at the top of a cell or as a value inside code), their argument parsing
 * ({@link dev.cellar.kernel.magic.MagicSpec}), and the line magics themselves: {@code %jars} /
 * {@code %classpath}, {@code %cellar} (store operations over {@link dev.cellar.ops.Operations}). New
 * line magics go here.
 *
 * <p>May import: the JDK, cellar's core API, {@code ops}, {@code kernel.jshell} and {@code
 * kernel.display}. Not {@code kernel.cached} (the protocol package registers {@code %%cached} here)
 * nor the protocol libraries.
 */
package dev.cellar.kernel.magic;
