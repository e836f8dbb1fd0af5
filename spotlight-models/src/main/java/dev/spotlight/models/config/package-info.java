/** Hugging Face {@code config.json}: {@link dev.spotlight.models.config.ModelConfig}. */
package dev.spotlight.models.config;
