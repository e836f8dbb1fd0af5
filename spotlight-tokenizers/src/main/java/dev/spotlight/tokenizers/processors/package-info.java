/**
 * Post-processors (tokenizer.json {@code post_processor}): special tokens around sequences and
 * pairs, type ids, offset trimming for byte-level tokens. Each mirrors the Rust type of the same name.
 */
package dev.spotlight.tokenizers.processors;
