/**
 * cellar's public API: {@link dev.cellar.Cellar} (open a store, {@code cached(...)}, typed
 * {@code store}/{@code retrieve}), {@link dev.cellar.Cached} (static one-liners for JShell),
 * {@link dev.cellar.Component} and {@link dev.cellar.Parameters} (NeuroTools' model), {@link
 * dev.cellar.Key}, and the exception hierarchy rooted at {@link dev.cellar.CellarException}.
 *
 * <p>May import: the JDK and cellar's own {@code key}, {@code codec} and {@code store} interfaces and
 * factories. Never a third-party library directly.
 */
package dev.cellar;
