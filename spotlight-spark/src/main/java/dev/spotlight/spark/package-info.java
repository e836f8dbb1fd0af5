/**
 * Spotlight as Spark ML stages: {@link dev.spotlight.spark.SpotlightTokenizer},
 * {@link dev.spotlight.spark.SpotlightEmbedder} and {@link dev.spotlight.spark.SpotlightAttentionSummary}
 * run the library's tokenizer, packed encoder and attention explanations over a DataFrame, with the same
 * numbers as the library, one model per executor JVM, and pipelines that save and load.
 */
package dev.spotlight.spark;
