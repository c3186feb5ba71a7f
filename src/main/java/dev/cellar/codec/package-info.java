/**
 * The codec SPI: values to bytes and back ({@link dev.cellar.codec.Codec}), chosen by a first-match
 * {@link dev.cellar.codec.CodecRegistry}. Subpackages {@code arrow} and {@code json} hold the built-in
 * codecs and are the only places importing Apache Arrow and Jackson respectively.
 */
package dev.cellar.codec;
