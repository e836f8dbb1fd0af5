/**
 * The JSONL request/response contract ({@link dev.spotlight.tokenizers.protocol.TokenizeProtocol})
 * shared by the golden tests, the CLI's {@code tokenize --jsonl} and the Node generator that
 * answers the same requests with Hugging Face's Rust library.
 */
package dev.spotlight.tokenizers.protocol;
