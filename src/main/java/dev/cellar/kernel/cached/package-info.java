/**
 * The {@code %%cached} cell magic: preparing a cell's key (what the body reads: variables, definitions,
 * imports, files), restoring an entry on a hit (declaring outputs, replaying printed and displayed
 * output) and storing one on a miss.
 *
 * <p>May import: the JDK (including {@code jdk.jshell}), cellar's API, {@code engine} ({@code
 * Entries}, {@code Sizes}), {@code key}, {@code
 * codec.json.JsonValues} (the captured output is JSON), {@code kernel.magic}, {@code kernel.jshell} and
 * {@code kernel.display}. Not the protocol libraries.
 */
package dev.cellar.kernel.cached;
