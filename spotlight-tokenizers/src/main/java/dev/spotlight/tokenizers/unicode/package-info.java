/**
 * Character classes and normalization forms with the Unicode data Hugging Face tokenizers really
 * uses, which is not one version: Rust std {@code char} methods (Unicode 17 in the published
 * build), the {@code unicode_categories} 0.1.1 crate (old tables, for BERT's punctuation and
 * control chars), {@code unicode-normalization-alignments} (Unicode 9, for NFC/NFD/NFKC/NFKD and
 * combining marks) and tokenizers' own script table. The tables ship as resources next to these
 * classes; scripts/make_unicode_tables.py and scripts/rust_std_unicode.mjs regenerate them.
 */
package dev.spotlight.tokenizers.unicode;
