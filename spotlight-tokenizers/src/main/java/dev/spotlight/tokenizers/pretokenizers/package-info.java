/**
 * The tokenizer.json {@code pre_tokenizer} block: one class per Hugging Face pre-tokenizer type,
 * built by {@link dev.spotlight.tokenizers.pretokenizers.PreTokenizers#fromJson}. Each cuts the
 * splits of a {@link dev.spotlight.tokenizers.PreTokenizedString} into smaller ones.
 */
package dev.spotlight.tokenizers.pretokenizers;
