package dev.cellar.key;

/**
 * Derives a component's store key from its identity and state, recursively through its inputs
 * (NeuroTools' key generator). Implementations must be deterministic across runs, JVMs and machines.
 */
public interface KeyDeriver {
    /**
     * @throws dev.cellar.CellarException if the inputs form a cycle (the message names it) or a value
     *     has no canonical encoding (the message names the ingredient and its type)
     */
    Derivation derive(Recipe recipe);
}
