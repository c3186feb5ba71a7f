/**
 * cellar's public API, in two layers that share this package. The facade users call: {@link
 * dev.cellar.Cellar} (open a store, {@code cached(...)}, typed {@code store}/{@code retrieve}), {@link
 * dev.cellar.Cached} (static one-liners for JShell), {@link dev.cellar.Component} and {@link
 * dev.cellar.Parameters} (NeuroTools' model). The vocabulary every layer speaks: {@link
 * dev.cellar.Key} and the exceptions rooted at {@link dev.cellar.CellarException}.
 *
 * <p>The vocabulary imports nothing from cellar, so every package may import it. The facade sits on
 * top: it may import {@code engine}, {@code key}, {@code codec}, {@code codec.json} and {@code store}
 * interfaces, never a store implementation or a third-party library; nothing below the facade imports
 * it. The rules and the picture are in docs/architecture.md, enforced by {@code ArchitectureTest}.
 */
package dev.cellar;
