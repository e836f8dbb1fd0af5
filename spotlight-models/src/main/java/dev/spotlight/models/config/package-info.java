/** Hugging Face {@code config.json}: the model registry {@link dev.spotlight.models.config.ArchitectureConfig}, encoders ({@link dev.spotlight.models.config.ModelConfig}) and decoders ({@link dev.spotlight.models.config.DecoderConfig}). */
package dev.spotlight.models.config;
