/**
 * tokenizer.json regexes (written for Oniguruma) as {@link dev.spotlight.tokenizers.NormalizedString.Pattern}s:
 * linear hand-written scanners for the GPT-2, cl100k/llama3, Qwen2 and o200k split patterns, and
 * java.util.regex with the Oniguruma differences translated for every other pattern.
 */
package dev.spotlight.tokenizers.regex;
