/**
 * Karpathy's llama2.c files, read directly and converted to Hugging Face folders.
 *
 * <h2>Checkpoints ({@link dev.spotlight.models.llama2c.Llama2cCheckpoint})</h2>
 * All integers and floats little-endian; every matrix {@code [out, in]} row-major (PyTorch
 * {@code nn.Linear}); "per layer" blocks hold all layers back to back.
 * <ul>
 *   <li><b>Version 0</b> (legacy, run.c): 7 int32 {@code dim, hidden_dim, n_layers, n_heads,
 *       n_kv_heads, vocab_size, seq_len} (a negative {@code vocab_size} means an unshared
 *       classifier), then float32 {@code token_embedding [vocab, dim]}, per layer
 *       {@code rms_att [dim]}, {@code wq [dim, dim]}, {@code wk [kv_dim, dim]},
 *       {@code wv [kv_dim, dim]}, {@code wo [dim, dim]}, {@code rms_ffn [dim]},
 *       {@code w1 [hidden, dim]}, {@code w2 [dim, hidden]}, {@code w3 [hidden, dim]}; then
 *       {@code rms_final [dim]}, two legacy RoPE tables {@code [seq_len, head_size / 2]} (cos, sin)
 *       that run.c skips, and the unshared classifier {@code [vocab, dim]} if any.</li>
 *   <li><b>Version 1</b> (export.py fp32): a 256-byte header: uint32 magic {@code 0x616b3432}
 *       ("ak42"), int32 version, the 7 ints ({@code vocab_size} positive), uint8
 *       {@code shared_classifier}, zero padding. Then float32 per layer {@code rms_att}, per layer
 *       {@code rms_ffn}, {@code rms_final}, {@code token_embedding}, wq, wk, wv, wo, w1, w2, w3 (each
 *       per layer), and the classifier if unshared. No RoPE tables.</li>
 *   <li><b>Version 2</b> (export.py Q8_0, runq.c): the version 1 header with an int32
 *       {@code group_size} at byte 37. Then the norms in float32 as in version 1, and the quantized
 *       tensors token_embedding, wq, wk, wv, wo, w1, w2, w3 (each per layer), classifier if unshared:
 *       each tensor (each layer) is int8 {@code q[n]} followed by float32 {@code scale[n / group_size]},
 *       weight = {@code q · scale} of its group of {@code group_size} consecutive values.</li>
 * </ul>
 * Every header value is validated (positive sizes, {@code n_heads | dim}, even head size,
 * {@code n_kv_heads | n_heads}, {@code group_size | dim} and {@code | hidden_dim}) and the file must be
 * exactly as long as the header implies, before anything is mapped.
 *
 * <p>HF names: w1 = {@code gate_proj}, w2 = {@code down_proj}, w3 = {@code up_proj}, rms_att =
 * {@code input_layernorm}, rms_ffn = {@code post_attention_layernorm}. llama2.c rotates interleaved
 * RoPE pairs and HF rotates halves, so q_proj and k_proj rows are permuted inside each head
 * ({@code RopeLayout}); both pairings give the same logits.
 *
 * <h2>Tokenizers ({@link dev.spotlight.models.llama2c.Llama2cTokenizer})</h2>
 * int32 {@code max_token_length}, then per id float32 score, int32 byte length, the UTF-8 bytes;
 * the count comes from the checkpoint's {@code vocab_size}. Converted to a Llama-2-style
 * tokenizer.json (BPE with byte fallback, merges ranked by piece score).
 *
 * <h2>Conversion ({@link dev.spotlight.models.llama2c.Llama2cConverter})</h2>
 * config.json, generation_config.json, model.safetensors (F32), tokenizer.json,
 * tokenizer_config.json. Version 2's int8 arithmetic is {@link dev.spotlight.tensor.kernels.Q8Gemm};
 * its matrices come from {@link dev.spotlight.models.llama2c.Llama2cCheckpoint#quantized}.
 */
package dev.spotlight.models.llama2c;
