/**
 * Magics: how a cell reaches them ({@link dev.cellar.kernel.magic.Magics}: {@code %%name} cell magics,
 * {@code %name} line magics at the top of a cell or as a value inside code), their argument parsing
 * ({@link dev.cellar.kernel.magic.MagicSpec}), and the magics themselves: the class path ones ({@code %maven},
 * {@code %mavenRepo}, {@code %%loadFromPOM}, {@code %jars}, {@code %classpath}) with the libraries they
 * added ({@link dev.cellar.kernel.magic.SessionLibraries}), {@code %load}, {@code %time} /
 * {@code %%time}, {@code %lsmagic} / {@code %help}, and {@code %cellar} (store operations over
 * {@link dev.cellar.ops.Operations}). New line magics go here.
 *
 * <p>May import: the JDK, cellar's API, {@code engine}, {@code ops}, {@code kernel.jshell}, {@code
 * kernel.display} and {@code kernel.maven}. Not {@code kernel.cached} (the protocol package registers {@code %%cached} here)
 * nor the protocol libraries.
 */
package dev.cellar.kernel.magic;
