/**
 * The tokenizer.json {@code normalizer} block: one class per Hugging Face normalizer type, built
 * by {@link dev.spotlight.tokenizers.normalizers.Normalizers#fromJson}. Each rewrites a
 * {@link dev.spotlight.tokenizers.NormalizedString} in place and keeps its alignments exactly as
 * the Rust library does.
 */
package dev.spotlight.tokenizers.normalizers;
