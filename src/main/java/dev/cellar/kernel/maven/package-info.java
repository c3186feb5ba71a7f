/**
 * Resolving libraries for a notebook session: Maven coordinates and POMs to jar files, transitively,
 * with Maven's own resolver and the user's {@code ~/.m2/settings.xml} (local repository, mirrors,
 * proxies, server credentials, active profiles' repositories); and the coordinates of a jar that is
 * already on disk. The kernel's {@code %maven}, {@code %mavenRepo} and {@code %%loadFromPOM} call it.
 *
 * <p>May import: the JDK, Maven Resolver ({@code org.eclipse.aether}) and Maven's settings model
 * ({@code org.apache.maven}); it is the only package that imports them. It knows nothing of JShell
 * or the Jupyter protocol.
 */
package dev.cellar.kernel.maven;
