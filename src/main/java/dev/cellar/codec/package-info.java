/**
 * The codec SPI: values to bytes and back ({@link dev.cellar.codec.Codec}), chosen by a first-match
 * {@link dev.cellar.codec.CodecRegistry}. Subpackages {@code arrow} and {@code json} hold the built-in
 * codecs and are the only places importing Apache Arrow and Jackson respectively. Codecs may import
 * the JDK, the vocabulary of {@code dev.cellar} ({@code CodecException}) and this package; never the
 * API, the engine or a store (docs/architecture.md).
 */
package dev.cellar.codec;
