/**
 * The team's shared tier behind the local store: {@link dev.cellar.store.shared.TieredStore} (local
 * first, shared second, a shared hit copied locally, writes to both unless read-only, one warning per
 * session when the shared tier fails), {@link dev.cellar.store.shared.SingleFlight} (one process
 * computes a missed key while the others wait, through leases in the shared database),
 * {@link dev.cellar.store.shared.SharedSettings} and {@link dev.cellar.store.shared.SharedTier}
 * (opening the shared store itself). Wires {@code store.postgres} and {@code store.s3} together, so
 * neither knows the other; may import the vocabulary of {@code dev.cellar}, {@code dev.cellar.store} and those two.
 */
package dev.cellar.store.shared;
