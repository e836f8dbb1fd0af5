package dev.spotlight.models.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Jlama 0.8.4 (pure Java, Vector API) loading the same Hugging Face folder with its own loader: F32
 * working memory, weights kept as stored (its loader keeps BF16 matrices BF16 and reads F32 ones as
 * F32). Jlama decodes one sequence at a time: its public API has no batch of sequences.
 *
 * <p>Its generate() call tokenizes text and stops at EOS, so this drives the same public forward
 * methods generate() uses, with token ids; the model's KV cache factory is a protected field, read
 * by reflection.
 */
final class JlamaContender extends Contender.Stepwise {
    private final AbstractModel model;
    private final KvBufferCache caches;
    private final AbstractTensor logits;
    private KvBufferCache.KvBuffer cache;
    private int position;

    JlamaContender(Path folder, int threads) {
        this.model = ModelSupport.loadModel(folder.toFile(), null, DType.F32, DType.I8, Optional.empty(), Optional.of(threads));
        try {
            Field f = AbstractModel.class.getDeclaredField("kvBufferCache");
            f.setAccessible(true);
            this.caches = (KvBufferCache) f.get(model);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Jlama's AbstractModel.kvBufferCache is not where 0.8.4 has it", e);
        }
        this.logits = model.makeDenseTensor(model.getConfig().vocabularySize);
    }

    @Override
    public String name() {
        return "Jlama";
    }

    @Override
    public boolean batches() {
        return false;
    }

    @Override
    int[] prefill(List<int[]> prompts) {
        if (prompts.size() != 1) {
            throw new IllegalArgumentException("Jlama decodes one sequence at a time, got " + prompts.size());
        }
        release();
        cache = caches.getEphemeralKvBuffer();
        int[] prompt = prompts.getFirst();
        // [tokens, hidden] of the last chunk: Jlama prefills in chunks of 256 tokens and returns the last one
        try (AbstractTensor hidden = model.batchForward(prompt, 0, cache)) {
            position = prompt.length;
            return new int[] {model.sample(hidden.slice(hidden.shape().first() - 1), 0f, 0f, logits)};
        }
    }

    @Override
    int[] step(int[] tokens) {
        try (AbstractTensor hidden = model.forward(tokens[0], position, cache, Optional.empty())) {
            position++;
            return new int[] {model.sample(hidden, 0f, 0f, logits)};
        }
    }

    private void release() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }

    @Override
    public void close() {
        release();
        logits.close();
        model.close();
    }
}
