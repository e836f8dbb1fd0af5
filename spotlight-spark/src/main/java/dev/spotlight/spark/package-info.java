/**
 * Spotlight as Spark ML stages, each row the library's result for it whatever the partitioning:
 * {@link dev.spotlight.spark.SpotlightTokenizer}, {@link dev.spotlight.spark.SpotlightEmbedder} and
 * {@link dev.spotlight.spark.SpotlightAttentionSummary} (the tokenizer, packed encoder and attention
 * explanations); {@link dev.spotlight.spark.SpotlightTokenClassifier},
 * {@link dev.spotlight.spark.SpotlightTextClassifier}, {@link dev.spotlight.spark.SpotlightQuestionAnswerer},
 * {@link dev.spotlight.spark.SpotlightZeroShotClassifier}, {@link dev.spotlight.spark.SpotlightFillMask} and
 * {@link dev.spotlight.spark.SpotlightReranker} (the task pipelines); {@link dev.spotlight.spark.SpotlightGenerator}
 * (text generation with a decoder). One model per executor JVM, and pipelines that save and load.
 */
package dev.spotlight.spark;
