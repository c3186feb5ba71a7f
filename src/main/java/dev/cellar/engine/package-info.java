/**
 * cellar's internals: the entries engine ({@link dev.cellar.engine.Entries}: save, lookup with
 * checksums, the verification policy), the entry manifest ({@link dev.cellar.engine.Manifest},
 * {@code FORMAT}), {@link dev.cellar.engine.Why} (explaining a key change), settings from the
 * environment and opening the default store and the shared tier ({@link dev.cellar.engine.Config},
 * {@code SharedConfig}), and size and duration formatting ({@link dev.cellar.engine.Sizes}).
 *
 * <p>Imported only by the facade ({@code dev.cellar.Cellar}), {@code kernel}, {@code ops} and
 * {@code cli}; never by the layers below it. May import the vocabulary of {@code dev.cellar}, {@code
 * key}, {@code codec}, {@code codec.json} (manifests are JSON), {@code store}, and the store
 * implementations it opens ({@code store.rocksdb}, {@code store.shared}, {@code store.postgres}). The
 * rules and the picture are in docs/architecture.md.
 */
package dev.cellar.engine;
